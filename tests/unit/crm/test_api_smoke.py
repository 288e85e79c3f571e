import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_schema_and_people_api_answer_with_a_token(administrator):
    client = APIClient()
    token = Token.objects.create(user=administrator)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/schema/").status_code == 200
    response = client.post(
        "/api/v1/people/",
        {
            "family_name": "王",
            "given_name": "伟",
            "name_order": "family_first",
            "country": "CN",
            "emails": [{"email": "Wang.Wei@Example.CN"}],
            "phones": [{"number": "138 0013 8000"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["phones"][0]["number"] == "+8613800138000"
    bad = client.post(
        "/api/v1/people/",
        {"family_name": "Li", "country": "CN", "phones": [{"number": "+86 12"}]},
        format="json",
    )
    assert bad.status_code == 400
    print(bad.json())
    for url in ["people", "organizations", "relationships", "interactions", "consents", "segments"]:
        assert client.get(f"/api/v1/{url}/").status_code == 200, url
