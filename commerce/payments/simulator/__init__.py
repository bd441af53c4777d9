"""The built-in Midtrans simulator: Midtrans' endpoints and payment pages played by this server.

With MIDTRANS_SIMULATOR on (the default without MIDTRANS_SERVER_KEY) the wrapper's base
URLs point here, so the same `midtransclient` code runs as in production. Snap's
redirect and a QRIS code lead to a local page where the shopper picks pay / fail /
expire; the simulator then sends a correctly signed HTTP notification to the app's own
`/payments/midtrans/notification/`. State lives in the database (`SimulatedTransaction`),
never in process memory; a transaction nobody acted on yet exists only in its signed token
(as at Midtrans, where a Snap transaction has no status before a method is chosen).
"""
