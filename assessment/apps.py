from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "考核"

    def ready(self):
        # Imported once the models are loaded: they register the assessment
        # lists' exports and add the cycle extension to the workroom machine.
        from assessment import exports, workflow  # noqa: F401
        from assessment.honours.views import teacher_page_honours
        from members.views import teacher_page

        teacher_page.register(teacher_page_honours)
