from compositor.cli import run

run()
