from django.urls import path

from . import views

app_name = "promotion"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("figures/", views.figure_list, name="figure-list"),
    path("parks/", views.park_list, name="park-list"),
    path("parks/<slug:slug>/", views.park_detail, name="park-detail"),
    path("industries/", views.industry_list, name="industry-list"),
    path("industries/<slug:slug>/", views.industry_detail, name="industry-detail"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/<slug:slug>/", views.enterprise_detail, name="enterprise-detail"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("policies/", views.policy_list, name="policy-list"),
    path("policies/<slug:slug>/", views.policy_detail, name="policy-detail"),
    path("environment/", views.environment, name="environment"),
    path("innovation/", views.innovation, name="innovation"),
    path("enquiry/", views.enquiry, name="enquiry"),
    path("enquiry/sent/<str:token>/", views.enquiry_sent, name="enquiry-sent"),
    path("enquiry/status/<str:token>/", views.enquiry_status, name="enquiry-status"),
    path("privacy/", views.privacy, name="privacy"),
    path("service/", views.service_record, name="service-record"),
    path("search/", views.search_page, name="search"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/key-figures.csv", views.key_figures_csv, name="key-figures-csv"),
    path("open-data/key-figures.json", views.key_figures_json, name="key-figures-json"),
]
