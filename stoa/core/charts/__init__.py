"""Charts drawn as plain SVG text by pure code, so pages and PDF reports show the same picture
without JavaScript, fonts from the network, or a plotting library."""
