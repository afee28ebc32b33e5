"""On the real guide: proposals, self-assessment and resource pages ask too; answer steps do not."""

import pytest

from .conftest import form_fields


@pytest.mark.parametrize(
    "path",
    [
        "/en/project-proposals/",
        "/es/project-proposals/think-smart/",
        "/id/project-proposals/checklist/",
        "/en/assessments/",
        "/es/assessments/gesi/",
        "/id/resources/",
        "/en/guide/checklist/",
    ],
)
def test_the_page_asks(client, real_site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert form_fields(response.content.decode())["page"] == path[3:]


def test_an_assessment_step_does_not_ask(client, real_site):
    response = client.get("/en/assessments/gesi/step/1/")
    assert response.status_code == 200
    assert 'class="page-feedback"' not in response.content.decode()
