import graphene

from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.services.survey import survey_submit

from ...core.mutations import BaseMutation


class SurveySubmit(BaseMutation):
    """Answer the satisfaction survey (SKM) of a served ticket: nine scores from 1 to 4. No login needed."""

    ok = graphene.Boolean(required=True)

    class Arguments:
        token = graphene.String(required=True, description="From the QR on the ticket.")
        scores = graphene.List(graphene.NonNull(graphene.Int), required=True, description="U1..U9, each 1-4.")
        comment = graphene.String(default_value="")

    class Meta:
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, token, scores, comment=""):
        survey_submit(token=token, scores=list(scores), comment=comment)
        return cls(ok=True)

    @classmethod
    def error_payload(cls, errors):
        payload = super().error_payload(errors)
        payload.ok = False
        return payload
