"""Load the demo district on first run: 黄岩区, 茅畲乡 with its offices, one district department,
and one demo person per role in each. Passwords are random, printed once and written to
settings.DEMO_CREDENTIALS_FILE (git ignores var/); no fixed default password exists.

The demo people are a bootstrap: created from the command line with their roles at once
(create_staff_user, audited as a bootstrap) and no forced password change. The demo role
requests go through the workbench's flow (open_staff_account, approval by a second person).

The unified social credit codes are synthetic (valid check characters, made-up organisation
codes); the contact details are placeholders to be replaced by each agency's system administrator.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.choices import AgencyKind, Role
from gongkai.accounts.models import Agency, Office
from gongkai.accounts.services import RoleGrant, create_staff_user, one_time_password
from gongkai.accounts.two_factor import DEMO_DEVICE_NAME, TWO_FACTOR_ROLES, base32_secret
from gongkai.accounts.validators import uscc_check_character
from gongkai.core.demo import registered_demos


def credit_code(body17: str) -> str:
    return body17 + uscc_check_character(body17)


class AgencySpec(TypedDict):
    slug: str
    prefix: str  # the issuer's code in letter numbers (茅政信复〔2026〕4号)
    name: str
    kind: AgencyKind
    code: str
    office_name: str
    offices: list[str]
    address: str
    postcode: str
    phone: str
    fax: str
    email: str


AGENCIES: list[AgencySpec] = [
    {
        "slug": "huangyan",
        "prefix": "黄政",
        "name": "台州市黄岩区人民政府",
        "kind": AgencyKind.DISTRICT,
        "code": credit_code("11331003MB0000001"),
        "office_name": "黄岩区政府信息公开领导小组办公室",
        "offices": ["黄岩区政府信息公开领导小组办公室", "区政府办公室"],
        "address": "浙江省台州市黄岩区东城街道劳动北路118号",
        "postcode": "318020",
        "phone": "0576-84000000",
        "fax": "0576-84000001",
        "email": "gongkai@huangyan.example.gov.cn",
    },
    {
        "slug": "maoshe",
        "prefix": "茅政",
        "name": "台州市黄岩区茅畲乡人民政府",
        "kind": AgencyKind.TOWNSHIP,
        "code": credit_code("11331003MB0000002"),
        "office_name": "茅畲乡党政综合办公室（党政办）",
        "offices": ["党政办", "经济发展办", "农业农村办", "社会事务办", "平安法治办"],
        "address": "浙江省台州市黄岩区茅畲乡茅畲村",
        "postcode": "318024",
        "phone": "0576-84010000",
        "fax": "0576-84010001",
        "email": "maoshe@huangyan.example.gov.cn",
    },
    {
        "slug": "huangyan-agri",
        "prefix": "黄农",
        "name": "台州市黄岩区农业农村局",
        "kind": AgencyKind.DEPARTMENT,
        "code": credit_code("11331003MB0000003"),
        "office_name": "黄岩区农业农村局办公室",
        "offices": ["办公室", "农村经营管理科", "种植业科"],
        "address": "浙江省台州市黄岩区西城街道天长南路9号",
        "postcode": "318020",
        "phone": "0576-84020000",
        "fax": "",
        "email": "nyncj@huangyan.example.gov.cn",
    },
]

PEOPLE = {
    Role.CLERK: "王晓明",
    Role.OFFICE_HEAD: "李建国",
    Role.DISCLOSURE_OFFICER: "陈丽华",
    Role.CONFIDENTIALITY_REVIEWER: "张卫东",
    Role.LEADER_IN_CHARGE: "刘志强",
    Role.PRINCIPAL_LEADER: "赵国平",
    Role.WEB_ADMINISTRATOR: "周海燕",
    Role.DISTRICT_SUPERVISOR: "吴文静",
    Role.SYSTEM_ADMIN: "孙立新",
    Role.SECURITY_ADMIN: "郑安全",
    Role.AUDIT_ADMIN: "冯审计",
}
USERNAME_SUFFIX = {
    Role.CLERK: "clerk",
    Role.OFFICE_HEAD: "head",
    Role.DISCLOSURE_OFFICER: "disclosure",
    Role.CONFIDENTIALITY_REVIEWER: "secrecy",
    Role.LEADER_IN_CHARGE: "leader",
    Role.PRINCIPAL_LEADER: "principal",
    Role.WEB_ADMINISTRATOR: "web",
    Role.DISTRICT_SUPERVISOR: "supervisor",
    Role.SYSTEM_ADMIN: "sysadmin",
    Role.SECURITY_ADMIN: "secadmin",
    Role.AUDIT_ADMIN: "auditadmin",
}


def random_password() -> str:
    return one_time_password()


def load_demo_role_requests() -> list[str]:
    """Role requests in each state (AC-04): one approved, one rejected, two waiting (a business
    role for 茅畲乡's principal leader, a second audit administrator for the district). They go
    through the services, so the audit trail holds them too. The two new accounts print their
    one-time password: their first sign-in asks for a password of their own."""
    from gongkai.accounts.models import User
    from gongkai.accounts.services import approve_role_request, open_staff_account, set_user_roles

    def person(slug: str, suffix: str) -> User:
        return User.objects.get(username=f"{slug}.{suffix}")

    lines: list[str] = []
    # Approved: the district's security administrator asks, the district's principal leader approves.
    account = open_staff_account(
        actor=person("huangyan", "secadmin"),
        agency=Agency.objects.get(slug="huangyan"),
        username="huangyan.supervisor2",
        full_name="钱督查",
        email="huangyan.supervisor2@example.gov.cn",
        grants=[RoleGrant(role=Role.DISTRICT_SUPERVISOR)],
        reason="区政府信息公开领导小组办公室新增督查人员。",
    )
    assert account.request is not None  # roles were asked for, so a request waits for approval
    approve_role_request(actor=person("huangyan", "principal"), request=account.request, note="同意。")
    lines.append(
        f"台州市黄岩区人民政府\t{Role.DISTRICT_SUPERVISOR.label}（已审批，首次登录须修改密码）"
        f"\t{account.user.username}\t{account.one_time_password}"
    )
    # Rejected: a drafting clerk is not also the disclosure officer.
    maoshe = Agency.objects.get(slug="maoshe")
    clerk = person("maoshe", "clerk")
    office = clerk.role_assignments.get(role=Role.CLERK).office
    set_user_roles(
        actor=person("maoshe", "secadmin"),
        user=clerk,
        grants=[RoleGrant(role=Role.CLERK, office=office), RoleGrant(role=Role.DISCLOSURE_OFFICER)],
        reason="政务公开专员休假期间临时兼任。",
    )
    from gongkai.accounts.models import RoleGrantRequest
    from gongkai.accounts.services import reject_role_request

    reject_role_request(
        actor=person("maoshe", "principal"),
        request=RoleGrantRequest.objects.get(user=clerk, status=RoleGrantRequest.Status.PENDING),
        note="经办人不兼任政务公开专员，请由党政办另行安排。",
    )
    # Waiting for 茅畲乡's principal leader: a new disclosure officer.
    account = open_staff_account(
        actor=person("maoshe", "secadmin"),
        agency=maoshe,
        username="maoshe.disclosure2",
        full_name="孙新公",
        email="maoshe.disclosure2@example.gov.cn",
        grants=[RoleGrant(role=Role.DISCLOSURE_OFFICER)],
        reason="党政办新进人员，承担依申请公开受理。",
    )
    lines.append(
        f"{maoshe.name}\t{Role.DISCLOSURE_OFFICER.label}（待审批，首次登录须修改密码）"
        f"\t{account.user.username}\t{account.one_time_password}"
    )
    # Waiting for the district: a second audit administrator of a department.
    agri = Agency.objects.get(slug="huangyan-agri")
    account = open_staff_account(
        actor=person("huangyan-agri", "secadmin"),
        agency=agri,
        username="huangyan-agri.auditadmin2",
        full_name="冯复核",
        email="huangyan-agri.auditadmin2@example.gov.cn",
        grants=[RoleGrant(role=Role.AUDIT_ADMIN)],
        reason="审计管理员 B 岗。",
    )
    lines.append(
        f"{agri.name}\t{Role.AUDIT_ADMIN.label}（待区级审批，首次登录须修改密码）"
        f"\t{account.user.username}\t{account.one_time_password}"
    )
    return lines


class Command(BaseCommand):
    help = "Load the demo district (first run only) and print the demo staff passwords once."

    def add_arguments(self, parser):
        parser.add_argument("--credentials-file", default=str(settings.DEMO_CREDENTIALS_FILE))
        parser.add_argument(
            "--without-applications", action="store_true", help="no demo applications (used by the tests)"
        )
        parser.add_argument("--without-catalog", action="store_true", help="no demo catalog (used by the tests)")
        parser.add_argument(
            "--without-role-requests", action="store_true", help="no demo role requests (used by the tests)"
        )

    def handle(
        self,
        *args,
        credentials_file,
        without_applications=False,
        without_catalog=False,
        without_role_requests=False,
        **options,
    ):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(credentials_file)
        if Agency.objects.filter(slug="huangyan").exists():
            self.stdout.write(_("Demo data is already loaded; the demo passwords are in %(path)s") % {"path": path})
            return
        lines = self._load(
            with_applications=not without_applications,
            with_catalog=not without_catalog,
            with_role_requests=not without_role_requests,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
        self.stdout.write(
            _("Demo data loaded. Demo accounts (passwords are shown this once and kept in %(path)s):") % {"path": path}
        )
        for line in lines:
            self.stdout.write("  " + line)
        self.stdout.write(
            _(
                "Accounts with a fifth column (administrators and leaders) also need a sign-in code: add that "
                "key to an authenticator app, or run `python manage.py demo_otp ACCOUNT` for the current code."
            )
        )

    @transaction.atomic
    def _load(
        self, *, with_applications: bool, with_catalog: bool = True, with_role_requests: bool = True
    ) -> list[str]:
        lines: list[str] = []
        district = None
        for spec in AGENCIES:
            agency = Agency.objects.create(
                slug=spec["slug"],
                name=spec["name"],
                kind=spec["kind"],
                parent=district,
                credit_code=spec["code"],
                index_prefix=spec["code"],
                disclosure_office_name=spec["office_name"],
                address=spec["address"],
                postcode=spec["postcode"],
                office_hours="工作日 上午8:30—12:00，下午14:30—17:30（夏令时）",
                phone=spec["phone"],
                fax=spec["fax"],
                email=spec["email"],
                acceptance_phone=spec["phone"],
                supervision_phone="0576-84000012",
                document_prefix=spec["prefix"],
                fee_payment_method=(
                    f"通过浙江政务服务网“非税缴费”以缴款码缴纳，或汇款至{spec['name']}非税收入专户"
                    "（开户行：中国农业银行台州黄岩支行；账号：19-9100 0104 0000 000）。"
                ),
            )
            district = district or agency
            offices = [
                Office.objects.create(agency=agency, name=name, is_disclosure_office=(i == 0))
                for i, name in enumerate(spec["offices"])
            ]
            business_office = offices[1] if len(offices) > 1 else offices[0]
            for role, person in PEOPLE.items():
                if role == Role.DISTRICT_SUPERVISOR and agency.parent_id is not None:
                    continue
                username = f"{spec['slug']}.{USERNAME_SUFFIX[role]}"
                password = random_password()
                office = business_office if role in (Role.CLERK, Role.OFFICE_HEAD) else None
                user = create_staff_user(
                    actor=None,
                    agency=agency,
                    username=username,
                    full_name=person,
                    email=f"{username}@example.gov.cn",
                    password=password,
                    grants=[RoleGrant(role=role, office=office)],
                )
                line = f"{agency.name}\t{Role(role).label}\t{username}\t{password}"
                if role in TWO_FACTOR_ROLES:
                    # Administrators and leaders sign in with a code (AUTH-04): the fifth column
                    # is the key for an authenticator app; `manage.py demo_otp NAME` prints the code.
                    device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
                    line += f"\t{base32_secret(device)}"
                lines.append(line)
        # Each business app registers its demo records (gongkai.core.demo), in its own order.
        skipped = {
            code
            for code, wanted in (
                ("applications", with_applications),
                ("catalog", with_catalog),
                ("reports", with_applications and with_catalog),  # computed from both
            )
            if not wanted
        }
        for demo in registered_demos():
            if demo.code not in skipped:
                lines += demo.load()
        if with_role_requests:
            lines += load_demo_role_requests()
        return lines
