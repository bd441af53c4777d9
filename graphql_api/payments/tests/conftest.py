from commerce.payments import testing

midtrans_server = testing.midtrans_server
