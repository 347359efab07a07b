import datetime
import pytest
from django.utils import timezone
from unit.models import WorkPlan, LineOfWork, ReviewNote

@pytest.mark.django_db
def test_smoke(client, city_a):
    plan = WorkPlan.objects.create(start_year=2012, title_es="P", title_pt_br="P", title_en="Plan")
    LineOfWork.objects.create(plan=plan, number=1, slug="l1", title_es="L", title_pt_br="L", title_en="Line one", shows_profile_updates=True)
    y = timezone.localdate().year
    r = client.get(f"/en/unit/plan/{y}/")
    print(r.status_code, r.content.decode()[-3000:])
    r = client.get(f"/en/unit/plan/{y}/review.csv")
    print(r.status_code, r.content.decode())
    r = client.get(f"/en/unit/plan/")
    print(r.status_code, r.get("Location"))
