"""Demo data of the storefront: the flat delivery fee to each of Trenggalek's 14 kecamatan."""

from django.db import transaction

from .services.delivery_fees import delivery_fee_set

# Flat fees from the Galeri Gemilang in the town centre, rising with the distance (rupiah).
DELIVERY_FEES = {
    "Trenggalek": 10000, "Pogalan": 12000, "Karangan": 12000, "Tugu": 15000, "Durenan": 15000,
    "Gandusari": 15000, "Kampak": 18000, "Bendungan": 20000, "Suruh": 20000, "Pule": 22000,
    "Dongko": 25000, "Watulimo": 25000, "Munjungan": 28000, "Panggul": 30000,
}


@transaction.atomic
def populate(*, stdout) -> None:
    for kecamatan, fee in DELIVERY_FEES.items():
        delivery_fee_set(kecamatan=kecamatan, fee=fee)
    stdout.write(f"  commerce: delivery fees for {len(DELIVERY_FEES)} kecamatan")
