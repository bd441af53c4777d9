"""Demo data of Trenggalek: the Galeri Gemilang café, one café per kecamatan, one account per role."""

from django.db import transaction

from .models import Outlet, OutletLevel
from .roles import Role
from .services.customers import customer_get_or_create
from .services.outlets import outlet_upsert
from .services.users import user_upsert

DEMO_PASSWORD = "gemilang123"

# Official codes (Kemendagri) of Trenggalek's 14 kecamatan, with their postcodes.
KECAMATAN = [
    ("PGL", "Panggul", "35.03.01", "66364"),
    ("MJG", "Munjungan", "35.03.02", "66365"),
    ("PLE", "Pule", "35.03.03", "66362"),
    ("DKO", "Dongko", "35.03.04", "66363"),
    ("TGU", "Tugu", "35.03.05", "66352"),
    ("KRG", "Karangan", "35.03.06", "66361"),
    ("KMP", "Kampak", "35.03.07", "66373"),
    ("WTL", "Watulimo", "35.03.08", "66382"),
    ("BDG", "Bendungan", "35.03.09", "66351"),
    ("GDS", "Gandusari", "35.03.10", "66372"),
    ("TGX", "Trenggalek", "35.03.11", "66316"),
    ("PGN", "Pogalan", "35.03.12", "66371"),
    ("DRN", "Durenan", "35.03.13", "66381"),
    ("SRH", "Suruh", "35.03.14", "66362"),
]

HOURS = {
    "mon": "08.00-16.00",
    "tue": "08.00-16.00",
    "wed": "08.00-16.00",
    "thu": "08.00-16.00",
    "fri": "08.00-15.00",
    "sat": "08.00-12.00",
}

DEMO_ACCOUNTS = [
    # username, role, first name, last name, bound to Galeri Gemilang?
    ("admin", Role.REGENCY_ADMIN, "Admin", "Kabupaten", False),
    ("manajer", Role.OUTLET_MANAGER, "Manajer", "Galeri Gemilang", True),
    ("kasir", Role.CASHIER, "Kasir", "Galeri Gemilang", True),
    ("petugas", Role.SERVICE_OFFICER, "Petugas", "Dukcapil", True),
    ("kurator", Role.CURATOR, "Kurator", "Dinas Komidag", False),
    ("pemilik", Role.UMKM_OWNER, "Pemilik", "UMKM", False),
    ("pembeli", Role.CUSTOMER, "Pembeli", "Demo", False),
]


def galeri_gemilang() -> Outlet:
    return Outlet.objects.get(code="GLR")


@transaction.atomic
def populate(*, stdout) -> None:
    galeri = outlet_upsert(
        code="GLR",
        name="Galeri Gemilang",
        slug="galeri-gemilang",
        level=OutletLevel.REGENCY,
        kecamatan="Trenggalek",
        region_code="35.03.11",
        street_address="Galeri Gemilang, Jl. Soekarno-Hatta",
        desa="Sumbergedong",
        postcode="66315",
        opening_hours=HOURS,
        offers_sales=True,
        offers_services=True,
    )
    for code, name, region, postcode in KECAMATAN:
        outlet_upsert(
            code=code,
            name=f"Kafe Pelayanan Publik {name}",
            slug=f"kafe-{name.lower()}",
            level=OutletLevel.KECAMATAN,
            kecamatan=name,
            parent=galeri,
            region_code=region,
            street_address=f"Kantor Kecamatan {name}",
            postcode=postcode,
            opening_hours=HOURS,
        )
    for username, role, first, last, bound in DEMO_ACCOUNTS:
        user = user_upsert(
            username=username,
            password=DEMO_PASSWORD,
            roles=[role.value],
            first_name=first,
            last_name=last,
            email=f"{username}@demo.gemilang.id",
            outlets=[galeri] if bound else [],
            is_staff=role == Role.REGENCY_ADMIN,
            validate=False,
            phone="081234500001" if username == "pembeli" else None,
        )
        if username == "admin":
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        if role == Role.CUSTOMER:
            customer_get_or_create(
                phone=user.phone, name=user.get_full_name(), email=user.email, user=user, source="demo"
            )
    stdout.write(f"  accounts: {Outlet.objects.count()} cafés, {len(DEMO_ACCOUNTS)} demo accounts")
