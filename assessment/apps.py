from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "考核"

    def ready(self):
        # Imported once the models are loaded: they register the assessment
        # lists' exports and add the cycle extension to the workroom machine.
        from assessment import exports, workflow  # noqa: F401
        from assessment.access import workrooms_under_evaluation_by
        from assessment.honours.views import teacher_page_honours
        from members.views import teacher_page
        from workrooms.access import evaluation_readers

        teacher_page.register(teacher_page_honours)
        evaluation_readers.register(workrooms_under_evaluation_by)
