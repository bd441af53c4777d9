"""Public services of every agency: catalogue, queue tickets, kiosks, requests, IKM survey."""
