# Routes arrive with the practices step.
app_name = "experiences"
urlpatterns = []
