# Routes arrive with the events step.
app_name = "events"
urlpatterns = []
