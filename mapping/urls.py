# Routes arrive with the mapping step.
app_name = "mapping"
urlpatterns = []
