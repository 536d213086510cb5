"""The retailer's three shops and its online warehouse."""

from __future__ import annotations

from .timeline import Row

_CITY_HOURS = {
    "mon": "09:00-19:00",
    "tue": "09:00-19:00",
    "wed": "09:00-19:00",
    "thu": "09:00-20:00",
    "fri": "09:00-20:00",
    "sat": "09:00-19:00",
    "sun": "11:00-18:00",
}

STORES: list[Row] = [
    {
        "id": "S001",
        "name": "Dublin Grafton Street",
        "kind": "store",
        "address": "84 Grafton Street",
        "city": "Dublin 2",
        "postcode": "D02 X576",
        "lat": 53.34145,
        "lon": -6.25997,
        "phone": "+35316771840",
        "opening_hours": {**_CITY_HOURS, "thu": "09:00-21:00", "sun": "10:30-18:30"},
    },
    {
        "id": "S002",
        "name": "Cork Patrick Street",
        "kind": "store",
        "address": "112 Saint Patrick's Street",
        "city": "Cork",
        "postcode": "T12 YX84",
        "lat": 51.89867,
        "lon": -8.47359,
        "phone": "+353214273316",
        "opening_hours": dict(_CITY_HOURS),
    },
    {
        "id": "S003",
        "name": "Galway Shop Street",
        "kind": "store",
        "address": "23 Shop Street",
        "city": "Galway",
        "postcode": "H91 T2E6",
        "lat": 53.27270,
        "lon": -9.05205,
        "phone": "+35391561472",
        "opening_hours": {**_CITY_HOURS, "sun": "12:00-18:00"},
    },
    {
        "id": "WEB",
        "name": "Online warehouse",
        "kind": "online",
        "address": "Unit 7, Kildare Enterprise Park, Melitta Road",
        "city": "Kildare",
        "postcode": "R51 F6K2",
        "lat": 53.15583,
        "lon": -6.90712,
        "phone": "+353454309900",
        "opening_hours": {
            "mon": "07:00-22:00",
            "tue": "07:00-22:00",
            "wed": "07:00-22:00",
            "thu": "07:00-22:00",
            "fri": "07:00-22:00",
            "sat": "08:00-18:00",
            "sun": "closed",
        },
    },
]

SHOP_IDS = ("S001", "S002", "S003")
STOCK_IDS = ("S001", "S002", "S003", "WEB")
HOME_WEIGHTS = (40, 35, 25)
ORDER_PREFIX = {"S001": "S1", "S002": "S2", "S003": "S3"}
