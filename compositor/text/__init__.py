"""Text setting: fonts and metrics, hyphenation, line breaking.

All text reaches the page through this package: a paragraph of styled runs goes in, lines
of positioned fragments come out, and the renderer only draws them. Shaping and direction
for other scripts belong here too, not in the layout engine.
"""
