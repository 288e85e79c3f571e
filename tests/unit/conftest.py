"""The staff roles (crm.services.roles) as fixtures, for the CRM and the campaign screens."""

import pytest

from crm.services import roles
from tests.factories import UserFactory


@pytest.fixture
def groups(db):
    return roles.ensure_roles()


def _user_in(groups, role, username):
    user = UserFactory(username=username)
    user.groups.add(groups[role])
    return user


@pytest.fixture
def viewer(groups):
    return _user_in(groups, roles.VIEWER, "vera")


@pytest.fixture
def officer(groups):
    return _user_in(groups, roles.OFFICER, "otto")


@pytest.fixture
def other_officer(groups):
    return _user_in(groups, roles.OFFICER, "olga")


@pytest.fixture
def campaign_manager(groups):
    return _user_in(groups, roles.CAMPAIGN_MANAGER, "carl")


@pytest.fixture
def administrator(groups):
    return _user_in(groups, roles.ADMINISTRATOR, "ada_admin")
