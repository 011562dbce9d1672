from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "文档与证书"

    def ready(self):
        # Imported once the models are loaded: the certificate list's export,
        # the revocation of title certificates when a title is taken back, and
        # the appointment papers (聘书, 挂牌证书) of workrooms and their people.
        from archives import exports, services  # noqa: F401
        from assessment.honours.services import master_title_taken
        from workrooms import appointments

        master_title_taken.register(services.title_certificates_revoke)
        appointments.workroom_approved.register(services.workroom_approved)
        appointments.appointment_started.register(services.appointment_started)
        appointments.appointment_ended.register(services.appointment_ended)
        appointments.lead_changed.register(services.plaque_exchange)
