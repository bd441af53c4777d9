"""Build graphene enums from the domain's TextChoices so the API and the domain share one list."""

import graphene


def enum_from_choices(choices_class, name: str | None = None) -> type[graphene.Enum]:
    return graphene.Enum(
        name or choices_class.__name__,
        [(value.upper(), value) for value in choices_class.values],
    )
