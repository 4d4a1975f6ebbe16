"""Stage 3: layout. Decides where everything goes, in points, without drawing anything.

Content becomes chunks (a line of text, a title block, a figure), chunks flow through the
columns of pages, and the result is a list of pages holding placed chunks. The renderer
draws that result; a layout pass never touches the PDF.
"""
