"""HTML pages of the service desk: portal, kiosk, display board, counter, requests, survey, report."""
