"""The second-factor pages (security.md AUTH-04): the code step after the password, enrolment
(QR code and key, confirmed with a code, then ten recovery codes shown once), the person's own
second-factor page, and the security administrator's reset and agency sign-in rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts import two_factor
from gongkai.accounts.forms import AgencySecurityForm, OTPCodeForm, OTPConfirmForm
from gongkai.accounts.permissions import get_agency_for_user, get_staff_member_for_user
from gongkai.accounts.requests import StaffRequest


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("accounts:dashboard")


def _with_next(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(resolve_url(name) + "?" + urlencode({"next": _next_url(request)}))


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_verified(user):
        return HttpResponseRedirect(_next_url(request))
    if two_factor.confirmed_totp_device(user) is None:
        if two_factor.two_factor_required(user):
            return _with_next("accounts:otp-enrol", request)
        return HttpResponseRedirect(_next_url(request))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = two_factor.verify_code(request, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            if method == "recovery_code":
                messages.warning(
                    request,
                    _("You signed in with a recovery code; it cannot be used again. Make new codes if few are left."),
                )
            return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def otp_enrol(request: StaffRequest) -> HttpResponse:
    user = request.user
    if two_factor.confirmed_totp_device(user) is not None and not two_factor.is_verified(user):
        # A new device only after the current one has been used in this session.
        return _with_next("accounts:otp-verify", request)
    device = two_factor.start_enrolment(user)
    form = OTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = two_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": enrolment.recovery_codes, "next": _next_url(request), "enrolled": True},
            )
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": two_factor.qr_code_data_uri(device),
            "secret": " ".join(two_factor.base32_secret(device)[i : i + 4] for i in range(0, 32, 4)),
            "required": two_factor.two_factor_required(user),
        },
    )


@require_http_methods(["GET"])
def two_factor_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = two_factor.confirmed_totp_device(user)
    from django_otp.plugins.otp_static.models import StaticToken

    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "required": two_factor.two_factor_required(user),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
        },
    )


@require_POST
def recovery_codes(request: StaffRequest) -> HttpResponse:
    try:
        codes = two_factor.regenerate_recovery_codes(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two-factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": resolve_url("accounts:two-factor")})


@require_POST
def user_otp_reset(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    member = get_staff_member_for_user(request.user, agency, pk)
    two_factor.reset_two_factor(actor=request.user, user=member)
    messages.success(
        request,
        _("The second factor of %(name)s is removed: they set up a new one at their next sign-in.")
        % {"name": member.username},
    )
    return redirect("accounts:user-edit", agency_slug=agency.slug, pk=member.pk)


@require_http_methods(["GET", "POST"])
def agency_security(request: StaffRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    initial = {
        "require_two_factor_for_all": agency.require_two_factor_for_all,
        "allowed_networks": agency.allowed_networks,
    }
    form = AgencySecurityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.update_agency_security(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(request, _("The sign-in rules are saved."))
            return redirect("accounts:agency-security", agency_slug=agency.slug)
    from gongkai.core.request_context import current_ip

    return render(
        request, "accounts/agency_security.html", {"agency": agency, "form": form, "current_ip": current_ip()}
    )
