"""Countries a case study can be from: ISO 3166-1 alpha-2 code → name (translated in .po).

A short list on purpose (see docs/decisions.md): add a line here when a case study from a new
country arrives, then `make messages` and translate the name.
"""

from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    "AR": _("Argentina"),
    "AU": _("Australia"),
    "BD": _("Bangladesh"),
    "BR": _("Brazil"),
    "CA": _("Canada"),
    "CL": _("Chile"),
    "CN": _("China"),
    "CO": _("Colombia"),
    "CR": _("Costa Rica"),
    "DE": _("Germany"),
    "DO": _("Dominican Republic"),
    "EC": _("Ecuador"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "GH": _("Ghana"),
    "GT": _("Guatemala"),
    "ID": _("Indonesia"),
    "IN": _("India"),
    "IT": _("Italy"),
    "JP": _("Japan"),
    "KE": _("Kenya"),
    "KR": _("South Korea"),
    "MX": _("Mexico"),
    "MY": _("Malaysia"),
    "NG": _("Nigeria"),
    "NL": _("Netherlands"),
    "NZ": _("New Zealand"),
    "PE": _("Peru"),
    "PH": _("Philippines"),
    "PT": _("Portugal"),
    "PY": _("Paraguay"),
    "RW": _("Rwanda"),
    "SG": _("Singapore"),
    "TH": _("Thailand"),
    "UA": _("Ukraine"),
    "UG": _("Uganda"),
    "US": _("United States"),
    "UY": _("Uruguay"),
    "VN": _("Viet Nam"),
    "ZA": _("South Africa"),
}


def country_choices():
    return sorted(COUNTRIES.items(), key=lambda item: str(item[1]))
