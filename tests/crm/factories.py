import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from crm.models import Affiliation, Organisation, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary email unless `verified=False`."""
        if not create:
            return
        EmailAddress.objects.create(
            user=obj, email=obj.email, primary=True, verified=extracted is not False
        )
        obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "BE"
    type = Organisation.Type.COMPANY
    size = Organisation.Size.MEDIUM
    ai_role = Organisation.AIRole.BOTH
    status = Organisation.Status.ACTIVE


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Head of compliance"
    is_representative = False
    status = Affiliation.Status.CONFIRMED


def make_staff(*roles: str, mfa: bool = True, **kwargs):
    """A staff user in the given role groups, with an authenticator unless mfa=False."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    user = UserFactory(is_staff=True, **kwargs)
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    if mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def make_representative(organisation=None, **user_kwargs):
    """A signed-up user who may act for `organisation` (created if not given)."""
    user = UserFactory(**user_kwargs)
    person = PersonFactory(
        user=user, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
    organisation = organisation or OrganisationFactory()
    AffiliationFactory(person=person, organisation=organisation, is_representative=True)
    return user
