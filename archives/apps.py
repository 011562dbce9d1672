from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "文档与证书"

    def ready(self):
        # Imported once the models are loaded: the certificate list's export,
        # and the revocation of title certificates when a title is taken back.
        from archives import exports, services  # noqa: F401
        from assessment.honours.services import master_title_taken

        master_title_taken.register(services.title_certificates_revoke)
