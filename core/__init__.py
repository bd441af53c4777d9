"""Cross-cutting building blocks shared by every domain app.

The timestamped model base, the domain error base class, rupiah formatting,
personal-data encryption and the collection points (demo data, navigation,
role permissions) that each app plugs into without editing shared files.
"""
