"""Demo data: real services of Trenggalek's agencies at the cafés, counters and a kiosk at Galeri Gemilang.

The officer `petugas` works for Dukcapil at counter 1 of Galeri Gemilang.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Outlet, User

from .models import AgencyKind, ServiceAvailability
from .services.appointments import appointment_slots_generate
from .services.catalogue import agency_staff_add, agency_upsert, counter_upsert, kiosk_upsert, service_upsert

UU_ADMINDUK = (
    "UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013 tentang Administrasi Kependudukan; Perpres No. 96 Tahun 2018"
)

AGENCIES = [
    (
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Trenggalek",
        "Dukcapil",
        AgencyKind.REGENCY_OFFICE,
        "https://dispendukcapil.trenggalekkab.go.id",
        "SP4N-LAPOR! lapor.go.id · WA Dukcapil Trenggalek",
    ),
    (
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Trenggalek",
        "DPMPTSP",
        AgencyKind.REGENCY_OFFICE,
        "https://dpmptsp.trenggalekkab.go.id",
        "SP4N-LAPOR! lapor.go.id",
    ),
    (
        "samsat",
        "UPT Pendapatan (Samsat) Trenggalek · Bapenda Provinsi Jawa Timur",
        "Samsat",
        AgencyKind.VERTICAL,
        "https://bapenda.jatimprov.go.id",
        "Call center Bapenda Jatim 14017",
    ),
    (
        "bpjs-kesehatan",
        "BPJS Kesehatan Kantor Cabang Tulungagung (Kabupaten Trenggalek)",
        "BPJS Kesehatan",
        AgencyKind.BUMN,
        "https://www.bpjs-kesehatan.go.id",
        "Care Center 165",
    ),
    (
        "pln",
        "PT PLN (Persero) ULP Trenggalek",
        "PLN",
        AgencyKind.BUMN,
        "https://web.pln.co.id",
        "PLN Mobile · Call center 123",
    ),
    (
        "pdam",
        "Perumda Air Minum Tirta Wening Kabupaten Trenggalek",
        "PDAM",
        AgencyKind.BUMD,
        "",
        "Kantor Perumda Air Minum Trenggalek",
    ),
    (
        "pos",
        "PT Pos Indonesia (Persero) KCP Trenggalek",
        "Kantor Pos",
        AgencyKind.BUMN,
        "https://www.posindonesia.co.id",
        "Halo Pos 1500161",
    ),
    (
        "bank-jatim",
        "Bank Jatim Cabang Trenggalek",
        "Bank Jatim",
        AgencyKind.BANK,
        "https://www.bankjatim.co.id",
        "Call center 14044",
    ),
]

SERVICES = [
    dict(
        agency="dukcapil",
        slug="ktp-el",
        name="KTP-el (baru, hilang, rusak, perubahan data)",
        prefix="A",
        is_adminduk=True,
        summary="Perekaman dan pencetakan Kartu Tanda Penduduk elektronik.",
        keywords="ktp e-ktp ktp hilang ktp rusak identitas",
        requirements=[
            "Kartu Keluarga (KK)",
            "Surat keterangan kehilangan dari kepolisian (jika hilang)",
            "KTP-el lama (jika rusak/perubahan data)",
        ],
        procedure=[
            "Ambil nomor antrean",
            "Verifikasi berkas di loket",
            "Perekaman biometrik (bagi yang belum)",
            "Pencetakan KTP-el",
        ],
        duration_text="1 hari kerja (jika blangko tersedia)",
        sla_hours=24,
        product="KTP-el",
        legal_basis=UU_ADMINDUK,
        accepts_requests=True,
        average_service_minutes=12,
    ),
    dict(
        agency="dukcapil",
        slug="kartu-keluarga",
        name="Kartu Keluarga (baru, perubahan, pisah KK)",
        prefix="A",
        is_adminduk=True,
        summary="Penerbitan Kartu Keluarga karena membentuk keluarga baru, perubahan data, atau pisah KK.",
        keywords="kk kartu keluarga pisah kk tambah anggota",
        requirements=["KK lama", "Buku nikah/akta perkawinan", "Surat pindah (jika pindah datang)"],
        procedure=["Isi formulir F-1.01", "Verifikasi berkas", "Pencetakan KK (kertas HVS, TTE)"],
        duration_text="1 hari kerja",
        sla_hours=24,
        product="Kartu Keluarga",
        legal_basis=UU_ADMINDUK,
        accepts_requests=True,
        average_service_minutes=10,
    ),
    dict(
        agency="dukcapil",
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        prefix="A",
        is_adminduk=True,
        summary="Pencatatan kelahiran dan penerbitan akta kelahiran.",
        keywords="akta lahir kelahiran bayi anak",
        requirements=[
            "Surat keterangan lahir dari bidan/rumah sakit/desa",
            "KK orang tua",
            "Buku nikah/akta perkawinan orang tua",
            "KTP-el 2 orang saksi",
        ],
        procedure=["Isi formulir F-2.01", "Verifikasi berkas", "Penerbitan akta (TTE)"],
        duration_text="1 hari kerja",
        sla_hours=24,
        product="Kutipan Akta Kelahiran",
        legal_basis=UU_ADMINDUK,
        accepts_requests=True,
        average_service_minutes=10,
    ),
    dict(
        agency="dukcapil",
        slug="pindah-datang",
        name="Surat Pindah / Pindah Datang (SKPWNI)",
        prefix="A",
        is_adminduk=True,
        summary="Surat Keterangan Pindah WNI dan pencatatan kedatangan penduduk.",
        keywords="pindah domisili pindah datang skpwni surat pindah",
        requirements=["KK", "KTP-el", "Alamat tujuan lengkap"],
        procedure=["Isi formulir F-1.03", "Verifikasi", "Penerbitan SKPWNI / KK baru"],
        duration_text="1 hari kerja",
        sla_hours=24,
        product="SKPWNI dan KK baru",
        legal_basis=UU_ADMINDUK,
        accepts_requests=True,
    ),
    dict(
        agency="dpmptsp",
        slug="nib-oss",
        name="NIB / Perizinan Berusaha (OSS RBA)",
        prefix="B",
        summary="Pendampingan pendaftaran Nomor Induk Berusaha lewat OSS untuk UMKM.",
        keywords="nib izin usaha oss umkm perizinan berusaha",
        requirements=[
            "KTP-el pemilik",
            "NPWP (jika ada)",
            "Alamat email dan nomor HP aktif",
            "Data usaha: lokasi, KBLI, modal",
        ],
        procedure=["Ambil nomor antrean", "Pembuatan akun OSS", "Pengisian data usaha", "Terbit NIB"],
        duration_text="Hari itu juga",
        sla_hours=8,
        product="Nomor Induk Berusaha (NIB)",
        legal_basis="PP No. 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko",
        availability=ServiceAvailability.BOTH,
        online_url="https://oss.go.id",
        average_service_minutes=20,
    ),
    dict(
        agency="dpmptsp",
        slug="pbg",
        name="Persetujuan Bangunan Gedung (PBG)",
        prefix="B",
        cost=0,
        cost_note="Retribusi PBG dibayar ke kas daerah sesuai perhitungan SIMBG",
        summary="Konsultasi dan pengajuan PBG lewat SIMBG.",
        keywords="imb pbg izin bangunan rumah simbg",
        requirements=["KTP-el pemohon", "Bukti kepemilikan tanah", "Gambar rencana teknis bangunan"],
        procedure=[
            "Konsultasi di loket",
            "Pengajuan di SIMBG",
            "Penilaian teknis",
            "Pembayaran retribusi",
            "Terbit PBG",
        ],
        duration_text="28 hari kerja",
        sla_hours=28 * 24,
        product="Dokumen PBG",
        legal_basis="PP No. 16 Tahun 2021; Perda Kabupaten Trenggalek tentang Retribusi PBG",
        requires_appointment=True,
        availability=ServiceAvailability.BOTH,
        online_url="https://simbg.pu.go.id",
        accepts_requests=True,
        average_service_minutes=30,
    ),
    dict(
        agency="samsat",
        slug="pajak-kendaraan-tahunan",
        name="Pajak Kendaraan Tahunan (PKB)",
        prefix="C",
        cost_note="Sesuai nilai PKB dan SWDKLLJ pada STNK",
        summary="Pengesahan STNK dan pembayaran PKB tahunan.",
        keywords="pajak motor mobil stnk pkb samsat tahunan",
        requirements=["KTP-el sesuai STNK", "STNK asli"],
        procedure=["Ambil nomor antrean", "Verifikasi STNK", "Pembayaran", "Pengesahan STNK"],
        duration_text="15 menit",
        sla_hours=1,
        product="STNK disahkan dan notice pajak",
        legal_basis="Perda Provinsi Jawa Timur No. 9 Tahun 2023 tentang Pajak Daerah",
        availability=ServiceAvailability.BOTH,
        online_url="https://bapenda.jatimprov.go.id",
        average_service_minutes=8,
    ),
    dict(
        agency="bpjs-kesehatan",
        slug="bpjs-pendaftaran-perubahan",
        name="Pendaftaran dan Perubahan Data Peserta JKN",
        prefix="D",
        summary="Pendaftaran peserta mandiri, perubahan data, pindah faskes.",
        keywords="bpjs jkn kis pindah faskes kartu",
        requirements=["KTP-el", "KK", "Nomor rekening (untuk autodebet)"],
        procedure=["Ambil nomor antrean", "Verifikasi data", "Pencetakan/aktivasi kartu"],
        duration_text="15 menit",
        sla_hours=1,
        product="Kartu JKN-KIS aktif",
        legal_basis="Perpres No. 82 Tahun 2018 tentang Jaminan Kesehatan",
        availability=ServiceAvailability.BOTH,
        online_url="https://www.bpjs-kesehatan.go.id",
        average_service_minutes=10,
    ),
    dict(
        agency="pln",
        slug="pln-pasang-baru",
        name="Pasang Baru Listrik",
        prefix="E",
        cost_note="Biaya penyambungan sesuai daya (Permen ESDM)",
        summary="Permohonan sambungan listrik baru.",
        keywords="listrik pasang baru meteran pln sambungan",
        requirements=["KTP-el", "Alamat dan titik lokasi", "Sertifikat Laik Operasi (SLO) instalasi"],
        procedure=["Permohonan", "Survei lokasi", "Pembayaran biaya penyambungan", "Pemasangan kWh meter"],
        duration_text="5 hari kerja",
        sla_hours=5 * 24,
        product="Sambungan listrik",
        legal_basis="Permen ESDM No. 28 Tahun 2016",
        accepts_requests=True,
        availability=ServiceAvailability.BOTH,
        online_url="https://web.pln.co.id",
        average_service_minutes=15,
    ),
    dict(
        agency="pln",
        slug="pln-tambah-daya",
        name="Tambah Daya Listrik",
        prefix="E",
        summary="Permohonan perubahan daya listrik.",
        keywords="tambah daya listrik pln naik daya",
        requirements=["KTP-el", "ID pelanggan", "SLO (jika instalasi berubah)"],
        procedure=["Permohonan", "Pembayaran", "Penggantian MCB/kWh meter"],
        duration_text="3 hari kerja",
        sla_hours=72,
        product="Daya listrik baru",
        legal_basis="Permen ESDM No. 28 Tahun 2016",
        accepts_requests=True,
        availability=ServiceAvailability.BOTH,
        online_url="https://web.pln.co.id",
        average_service_minutes=10,
    ),
    dict(
        agency="pdam",
        slug="pdam-sambungan-baru",
        name="Sambungan Baru Air Minum",
        prefix="F",
        cost_note="Biaya sambungan sesuai tarif Perumda",
        summary="Pendaftaran sambungan rumah air minum.",
        keywords="air pdam sambungan baru air bersih",
        requirements=["KTP-el", "KK", "Denah lokasi rumah"],
        procedure=["Pendaftaran", "Survei teknis", "Pembayaran", "Pemasangan"],
        duration_text="7 hari kerja",
        sla_hours=7 * 24,
        product="Sambungan air minum",
        legal_basis="Perda Kabupaten Trenggalek tentang Perumda Air Minum",
        accepts_requests=True,
        average_service_minutes=12,
    ),
    dict(
        agency="pos",
        slug="pos-bansos-wesel",
        name="Pencairan Bansos dan Wesel Pos",
        prefix="G",
        summary="Pembayaran bantuan sosial dan wesel.",
        keywords="bansos pos wesel pkh bantuan pencairan",
        requirements=["KTP-el", "Undangan/surat pemberitahuan (untuk bansos)"],
        procedure=["Ambil nomor antrean", "Verifikasi identitas", "Pembayaran"],
        duration_text="10 menit",
        sla_hours=1,
        product="Dana diterima",
        legal_basis="Ketentuan PT Pos Indonesia dan Kementerian Sosial",
        average_service_minutes=6,
    ),
    dict(
        agency="bank-jatim",
        slug="bank-jatim-rekening",
        name="Pembukaan Rekening Tabungan",
        prefix="H",
        summary="Pembukaan rekening SiMpeDa/TabunganKu.",
        keywords="bank rekening tabungan atm buka rekening",
        requirements=["KTP-el", "NPWP (jika ada)", "Setoran awal"],
        procedure=["Isi formulir", "Verifikasi", "Rekening dan kartu ATM"],
        duration_text="20 menit",
        sla_hours=1,
        product="Buku tabungan dan kartu ATM",
        legal_basis="POJK tentang Layanan Perbankan",
        average_service_minutes=15,
    ),
]


@transaction.atomic
def populate(*, stdout) -> None:
    galeri = Outlet.objects.get(code="GLR")
    kecamatan = list(Outlet.objects.filter(level="kecamatan"))
    agencies = {}
    for slug, name, short, kind, website, complaint in AGENCIES:
        agencies[slug] = agency_upsert(
            slug=slug, name=name, short_name=short, kind=kind, website=website, complaint_channel=complaint
        )
    services = {}
    for spec in SERVICES:
        spec = dict(spec)
        agency = agencies[spec.pop("agency")]
        slug = spec.pop("slug")
        spec.setdefault("complaint_channel", agency.complaint_channel)
        # Adminduk and NIB services reach every kecamatan café; the rest are at the gallery.
        outlets = [galeri] + (kecamatan if spec.get("is_adminduk") or slug == "nib-oss" else [])
        services[slug] = service_upsert(agency=agency, slug=slug, outlets=outlets, **spec)
    by_agency = {}
    for service in services.values():
        by_agency.setdefault(service.agency.slug, []).append(service)
    counters = [
        ("dukcapil", 1),
        ("dukcapil", 2),
        ("dpmptsp", 3),
        ("samsat", 4),
        ("bpjs-kesehatan", 5),
        ("pln", 6),
        ("pdam", 7),
        ("pos", 8),
        ("bank-jatim", 9),
    ]
    for agency_slug, number in counters:
        counter_upsert(
            outlet=galeri,
            number=number,
            name=f"Loket {number}",
            agency=agencies[agency_slug],
            services=by_agency[agency_slug],
        )
    kiosk_upsert(outlet=galeri, name="Anjungan 1")
    officer = User.objects.filter(username="petugas").first()
    if officer is not None:
        agency_staff_add(agency=agencies["dukcapil"], user=officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for offset in range(7):
        day = tomorrow + datetime.timedelta(days=offset)
        if day.weekday() < 5:
            appointment_slots_generate(
                service=services["pbg"],
                outlet=galeri,
                date=day,
                start=datetime.time(8),
                end=datetime.time(12),
                minutes=30,
                capacity=2,
            )
    stdout.write(
        f"  services_desk: {len(agencies)} agencies, {len(services)} services, {len(counters)} counters at Galeri Gemilang"
    )
