# ruff: noqa: E501  (CSV examples are long lines by nature)
"""OpenAPI examples, taken from the seed: A/RES/75/287 (The situation in Myanmar, 18 June
2021) and Belarus, the one state that voted against it. Rolls and lists are cut short."""

from __future__ import annotations

from typing import Any

# A vote event as the API shows it: in a resolution, a roll, and on its own.
VOTE_EVENT: Any = {
    "id": 1,
    "resolution": {
        "symbol": "A/RES/75/287",
        "draft_symbol": "A/75/L.85/Rev.1",
        "title": "The situation in Myanmar",
        "url": "/v1/resolutions/A/RES/75/287",
    },
    "title": "The situation in Myanmar: vote on the resolution as a whole",
    "description": None,
    "session": {"code": "75", "type": "regular", "number": 75},
    "date": "2021-06-18",
    "date_approximate": False,
    "kind": "whole",
    "is_main": True,
    "main_inferred": False,
    "meeting_record": "A/75/PV.83",
    "important": None,
    "majority_required": "simple",
    "majority_recorded": False,
    "rule": "Simple majority of the members present and voting: adopted when yes > no. "
    "Abstentions and non-votes do not count (rules of procedure, rule 86).",
    "tally": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
    "official": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
    "computed_outcome": "adopted",
    "official_outcome": "adopted",
    "outcome_discrepancy": False,
    "totals_discrepancy": None,
    "margin": 118,
    "topics": [],
    "sources": [
        {
            "source": "undl",
            "name": "UN Digital Library voting data",
            "licence": "non-commercial, with attribution",
            "key": "3929594",
            "ref": "A/RES/75/287",
            "url": "https://digitallibrary.un.org/record/3929594",
        }
    ],
    "updated_at": "2026-11-28T13:06:45.393162+00:00",
    "url": "/v1/vote-events/1",
    "links": {"votes": "/v1/vote-events/1/votes", "resolution": "/v1/resolutions/A/RES/75/287"},
}

RESOLUTION_LIST: Any = {
    "items": [
        {
            "id": 7,
            "symbol": "A/RES/75/287",
            "draft_symbol": "A/75/L.85/Rev.1",
            "title": "The situation in Myanmar",
            "session": "75",
            "date": "2021-06-18",
            "date_approximate": False,
            "vote_event_id": 1,
            "kind": "whole",
            "important": None,
            "majority_required": "simple",
            "tally": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
            "margin": 118,
            "outcome": "adopted",
            "official_outcome": "adopted",
            "outcome_discrepancy": False,
            "updated_at": "2026-11-28T13:06:45.393162+00:00",
            "url": "/v1/resolutions/A/RES/75/287",
            "news_count": 1,
            "news_url": "/v1/resolutions/A/RES/75/287/news",
        }
    ],
    "total": 1,
    "limit": 50,
    "offset": 0,
}

RESOLUTION_LIST_CSV = (
    "id,symbol,draft_symbol,title,session,date,date_approximate,vote_event_id,kind,important,majority_required,yes,no,abstain,non_voting,members,margin,outcome,official_outcome,outcome_discrepancy,updated_at\r\n"
    "7,A/RES/75/287,A/75/L.85/Rev.1,The situation in Myanmar,75,2021-06-18,false,1,whole,,simple,119,1,36,37,193,118,adopted,adopted,false,2026-11-28T13:06:45.393162+00:00\r\n"
)

RESOLUTION_DETAIL: Any = {
    "id": 7,
    "symbol": "A/RES/75/287",
    "draft_symbol": "A/75/L.85/Rev.1",
    "title": "The situation in Myanmar",
    "description": "Condemned the military's February 2021 seizure of power, called for the "
    "release of those detained and for an end to violence against peaceful "
    "protesters, and called on member states to prevent the flow of arms into "
    "Myanmar.",
    "session": {"code": "75", "type": "regular", "number": 75},
    "adopted_on": "2021-06-18",
    "date_approximate": False,
    "meeting_record": "A/75/PV.83",
    "source_url": "https://digitallibrary.un.org/record/3929594",
    "updated_at": "2026-11-28T13:06:45.393162+00:00",
    "main_vote_event_id": 1,
    "vote_events": [VOTE_EVENT],
    "news_count": 1,
    "news": [
        {
            "title": "Rights Advocates Slam Russia Over Myanmar Junta Chief’s Moscow Visit",
            "url": "https://www.themoscowtimes.com/2021/06/22/rights-advocates-slam-russia-over-myanmar-junta-chiefs-moscow-visit-a74294",
            "outlet": "The Moscow Times",
            "published_at": "2021-06-22T00:00:00+00:00",
            "relation": "mentions",
        }
    ],
    "links": {
        "self": "/v1/resolutions/A/RES/75/287",
        "votes": "/v1/resolutions/A/RES/75/287/votes",
        "summary": "/v1/resolutions/A/RES/75/287/summary",
        "news": "/v1/resolutions/A/RES/75/287/news",
        "document": "https://undocs.org/A/RES/75/287",
        "draft": "https://undocs.org/A/75/L.85/Rev.1",
        "meeting_record": "https://undocs.org/A/75/PV.83",
    },
}

RESOLUTION_DETAIL_CSV = (
    "vote_event_id,date,date_approximate,kind,is_main,title,majority_required,yes,no,abstain,non_voting,members,official_yes,official_no,official_abstain,official_non_voting,computed_outcome,official_outcome,outcome_discrepancy,totals_discrepancy\r\n"
    "1,2021-06-18,false,whole,true,The situation in Myanmar: vote on the resolution as a whole,simple,119,1,36,37,193,119,1,36,37,adopted,adopted,false,\r\n"
)

ROLL: Any = {
    "vote_event": VOTE_EVENT,
    "total": 193,
    "by_position": [
        {
            "position": "yes",
            "count": 119,
            "by_regional_group": {
                "african": 23,
                "asia-pacific": 23,
                "eastern-european": 21,
                "latin-american-caribbean": 24,
                "weog": 29,
            },
            "votes": [
                {
                    "code": "AFG",
                    "iso2": "AF",
                    "name": "Afghanistan",
                    "regional_groups": ["asia-pacific"],
                    "position": "yes",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "AFGHANISTAN",
                    "outside_membership": False,
                },
                {
                    "code": "ALB",
                    "iso2": "AL",
                    "name": "Albania",
                    "regional_groups": ["eastern-european"],
                    "position": "yes",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "ALBANIA",
                    "outside_membership": False,
                },
                {
                    "code": "AGO",
                    "iso2": "AO",
                    "name": "Angola",
                    "regional_groups": ["african"],
                    "position": "yes",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "ANGOLA",
                    "outside_membership": False,
                },
            ],
        },
        {
            "position": "no",
            "count": 1,
            "by_regional_group": {"eastern-european": 1},
            "votes": [
                {
                    "code": "BLR",
                    "iso2": "BY",
                    "name": "Belarus",
                    "regional_groups": ["eastern-european"],
                    "position": "no",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "BELARUS",
                    "outside_membership": False,
                }
            ],
        },
        {
            "position": "abstain",
            "count": 36,
            "by_regional_group": {
                "african": 14,
                "asia-pacific": 19,
                "eastern-european": 1,
                "latin-american-caribbean": 2,
            },
            "votes": [
                {
                    "code": "DZA",
                    "iso2": "DZ",
                    "name": "Algeria",
                    "regional_groups": ["african"],
                    "position": "abstain",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "ALGERIA",
                    "outside_membership": False,
                },
                {
                    "code": "CHN",
                    "iso2": "CN",
                    "name": "China",
                    "regional_groups": ["asia-pacific"],
                    "position": "abstain",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "CHINA",
                    "outside_membership": False,
                },
                {
                    "code": "RUS",
                    "iso2": "RU",
                    "name": "Russian Federation",
                    "regional_groups": ["eastern-european"],
                    "position": "abstain",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "RUSSIAN FEDERATION",
                    "outside_membership": False,
                },
            ],
        },
        {
            "position": "non_voting",
            "count": 37,
            "by_regional_group": {"african": 17, "asia-pacific": 13, "latin-american-caribbean": 7},
            "votes": [
                {
                    "code": "BDI",
                    "iso2": "BI",
                    "name": "Burundi",
                    "regional_groups": ["african"],
                    "position": "non_voting",
                    "non_voting_reason": None,
                    "inferred": False,
                    "intended_position": None,
                    "name_in_source": "BURUNDI",
                    "outside_membership": False,
                }
            ],
        },
    ],
}

ROLL_CSV = (
    "code,iso2,name,regional_groups,position,non_voting_reason,inferred,intended_position,name_in_source,outside_membership\r\n"
    "AFG,AF,Afghanistan,asia-pacific,yes,,false,,AFGHANISTAN,false\r\n"
    "ALB,AL,Albania,eastern-european,yes,,false,,ALBANIA,false\r\n"
    "AND,AD,Andorra,weog,yes,,false,,ANDORRA,false\r\n"
    "AGO,AO,Angola,african,yes,,false,,ANGOLA,false\r\n"
    "ATG,AG,Antigua and Barbuda,latin-american-caribbean,yes,,false,,ANTIGUA AND BARBUDA,false\r\n"
)

SUMMARY: Any = {
    "symbol": "A/RES/75/287",
    "draft_symbol": "A/75/L.85/Rev.1",
    "title": "The situation in Myanmar",
    "date": "2021-06-18",
    "date_approximate": False,
    "vote_event_id": 1,
    "tally": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
    "outcome": {
        "computed": "adopted",
        "official": "adopted",
        "discrepancy": False,
        "totals_discrepancy": None,
        "majority_required": "simple",
        "majority_recorded": False,
        "rule": "Simple majority of the members present and voting: adopted when yes > "
        "no. Abstentions and non-votes do not count (rules of procedure, rule "
        "86).",
    },
    "by_regional_group": [
        {
            "group": "african",
            "name": "African States",
            "yes": 23,
            "no": 0,
            "abstain": 14,
            "non_voting": 17,
            "members": 54,
        },
        {
            "group": "asia-pacific",
            "name": "Asia-Pacific States",
            "yes": 23,
            "no": 0,
            "abstain": 19,
            "non_voting": 13,
            "members": 55,
        },
        {
            "group": "eastern-european",
            "name": "Eastern European States",
            "yes": 21,
            "no": 1,
            "abstain": 1,
            "non_voting": 0,
            "members": 23,
        },
        {
            "group": "latin-american-caribbean",
            "name": "Latin American and Caribbean States",
            "yes": 24,
            "no": 0,
            "abstain": 2,
            "non_voting": 7,
            "members": 33,
        },
        {
            "group": "weog",
            "name": "Western European and other States",
            "yes": 29,
            "no": 0,
            "abstain": 0,
            "non_voting": 0,
            "members": 29,
        },
    ],
    "notable": {
        "p5": [
            {
                "code": "CHN",
                "name": "China",
                "short_name": "China",
                "position": "abstain",
                "intended_position": None,
            },
            {
                "code": "FRA",
                "name": "France",
                "short_name": "France",
                "position": "yes",
                "intended_position": None,
            },
            {
                "code": "RUS",
                "name": "Russian Federation",
                "short_name": "Russia",
                "position": "abstain",
                "intended_position": None,
            },
            {
                "code": "GBR",
                "name": "United Kingdom of Great Britain and Northern Ireland",
                "short_name": "United Kingdom",
                "position": "yes",
                "intended_position": None,
            },
            {
                "code": "USA",
                "name": "United States of America",
                "short_name": "United States",
                "position": "yes",
                "intended_position": None,
            },
        ],
        "lone_dissenters": [
            {
                "code": "BLR",
                "name": "Belarus",
                "short_name": "Belarus",
                "position": "no",
                "intended_position": None,
            }
        ],
        "intended_positions": [],
    },
    "notes": [
        "Türkiye takes part in Asia-Pacific States and Western European and other States "
        "and is counted in each."
    ],
    "links": {
        "resolution": "/v1/resolutions/A/RES/75/287",
        "votes": "/v1/vote-events/1/votes",
        "document": "https://undocs.org/A/RES/75/287",
        "draft": {"symbol": "A/75/L.85/Rev.1", "url": "https://undocs.org/A/75/L.85/Rev.1"},
        "meeting_record": {"symbol": "A/75/PV.83", "url": "https://undocs.org/A/75/PV.83"},
        "source": "https://digitallibrary.un.org/record/3929594",
    },
    "sentence": "Adopted 119–1–36; Belarus against; China and Russia among 36 abstentions",
}

SUMMARY_CSV = (
    "group,name,yes,no,abstain,non_voting,members\r\n"
    "african,African States,23,0,14,17,54\r\n"
    "asia-pacific,Asia-Pacific States,23,0,19,13,55\r\n"
    "eastern-european,Eastern European States,21,1,1,0,23\r\n"
    "latin-american-caribbean,Latin American and Caribbean States,24,0,2,7,33\r\n"
    "weog,Western European and other States,29,0,0,0,29\r\n"
)

EVENT_LIST: Any = {
    "items": [
        {
            "id": 1,
            "symbol": "A/RES/75/287",
            "draft_symbol": "A/75/L.85/Rev.1",
            "title": "The situation in Myanmar: vote on the resolution as a whole",
            "session": "75",
            "date": "2021-06-18",
            "date_approximate": False,
            "kind": "whole",
            "is_main": True,
            "important": None,
            "majority_required": "simple",
            "tally": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
            "margin": 118,
            "outcome": "adopted",
            "official_outcome": "adopted",
            "outcome_discrepancy": False,
            "totals_discrepancy": None,
            "updated_at": "2026-11-28T13:06:45.393162+00:00",
            "url": "/v1/vote-events/1",
            "resolution_url": "/v1/resolutions/A/RES/75/287",
        }
    ],
    "total": 2,
    "limit": 1,
    "offset": 0,
}

EVENT_LIST_CSV = (
    "id,symbol,draft_symbol,title,session,date,date_approximate,kind,is_main,important,majority_required,yes,no,abstain,non_voting,members,margin,outcome,official_outcome,outcome_discrepancy,totals_discrepancy,updated_at\r\n"
    "1,A/RES/75/287,A/75/L.85/Rev.1,The situation in Myanmar: vote on the resolution as a whole,75,2021-06-18,false,whole,true,,simple,119,1,36,37,193,118,adopted,adopted,false,,2026-11-28T13:06:45.393162+00:00\r\n"
)


EVENT_DETAIL: Any = VOTE_EVENT

EVENT_DETAIL_CSV = (
    "vote_event_id,date,date_approximate,kind,is_main,title,majority_required,yes,no,abstain,non_voting,members,official_yes,official_no,official_abstain,official_non_voting,computed_outcome,official_outcome,outcome_discrepancy,totals_discrepancy\r\n"
    "1,2021-06-18,false,whole,true,The situation in Myanmar: vote on the resolution as a whole,simple,119,1,36,37,193,119,1,36,37,adopted,adopted,false,\r\n"
)

COUNTRY_LIST: Any = {
    "items": [
        {
            "code": "BLR",
            "iso2": "BY",
            "m49": "112",
            "name": "Belarus",
            "official_name": "Republic of Belarus",
            "is_historical": False,
            "member": True,
            "admitted_on": "1945-10-24",
            "left_on": None,
            "groups": [
                {
                    "group": "eastern-european",
                    "kind": "regional",
                    "role": "member",
                    "since": None,
                    "until": None,
                }
            ],
            "url": "/v1/countries/BLR",
            "news_count": 1,
        }
    ],
    "total": 1,
    "limit": 50,
    "offset": 0,
}

COUNTRY_LIST_CSV = (
    "code,iso2,m49,name,official_name,is_historical,member,admitted_on,left_on\r\n"
    "BLR,BY,112,Belarus,Republic of Belarus,false,true,1945-10-24,\r\n"
)

COUNTRY_DETAIL: Any = {
    "code": "BLR",
    "iso2": "BY",
    "m49": "112",
    "name": "Belarus",
    "official_name": "Republic of Belarus",
    "is_historical": False,
    "member": True,
    "admitted_on": "1945-10-24",
    "left_on": None,
    "groups": [
        {
            "group": "eastern-european",
            "kind": "regional",
            "role": "member",
            "since": None,
            "until": None,
        }
    ],
    "url": "/v1/countries/BLR",
    "news_count": 1,
    "names": [
        {"name": "Belarus", "kind": "common", "valid_from": None, "valid_to": None},
        {"name": "BY", "kind": "iso2", "valid_from": None, "valid_to": None},
        {"name": "BLR", "kind": "iso3", "valid_from": None, "valid_to": None},
        {"name": "112", "kind": "m49", "valid_from": None, "valid_to": None},
        {"name": "Republic of Belarus", "kind": "official", "valid_from": None, "valid_to": None},
        {"name": "Belarus", "kind": "un_name", "valid_from": None, "valid_to": None},
    ],
    "memberships": [
        {"admitted_on": "1945-10-24", "left_on": None, "left_how": None, "name_during": None}
    ],
    "predecessors": [],
    "successors": [],
    "links": {"votes": "/v1/countries/BLR/votes", "news": "/v1/countries/BLR/news"},
}

COUNTRY_DETAIL_CSV = (
    "code,iso2,m49,name,official_name,is_historical,member,admitted_on,left_on\r\n"
    "BLR,BY,112,Belarus,Republic of Belarus,false,true,1945-10-24,\r\n"
)

COUNTRY_VOTES: Any = {
    "country": {"code": "BLR", "name": "Belarus", "url": "/v1/countries/BLR"},
    "summary": {
        "votes": 7,
        "yes": {"count": 5, "share": 0.7143},
        "no": {"count": 2, "share": 0.2857},
        "abstain": {"count": 0, "share": 0.0},
        "non_voting": {"count": 0, "share": 0.0},
    },
    "items": [
        {
            "vote_event_id": 1,
            "symbol": "A/RES/75/287",
            "draft_symbol": "A/75/L.85/Rev.1",
            "title": "The situation in Myanmar: vote on the resolution as a whole",
            "session": "75",
            "date": "2021-06-18",
            "date_approximate": False,
            "kind": "whole",
            "is_main": True,
            "position": "no",
            "non_voting_reason": None,
            "inferred": False,
            "intended_position": None,
            "name_in_source": "BELARUS",
            "outside_membership": False,
            "tally": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
            "margin": 118,
            "outcome": "adopted",
            "updated_at": "2026-11-28T13:06:45.393162+00:00",
            "url": "/v1/vote-events/1",
            "resolution_url": "/v1/resolutions/A/RES/75/287",
        }
    ],
    "total": 7,
    "limit": 1,
    "offset": 0,
}

COUNTRY_VOTES_CSV = (
    "vote_event_id,symbol,draft_symbol,title,session,date,date_approximate,kind,is_main,position,non_voting_reason,inferred,intended_position,name_in_source,outside_membership,yes,no,abstain,non_voting,margin,outcome\r\n"
    "1,A/RES/75/287,A/75/L.85/Rev.1,The situation in Myanmar: vote on the resolution as a whole,75,2021-06-18,false,whole,true,no,,false,,BELARUS,false,119,1,36,37,118,adopted\r\n"
)

GROUP_LIST: Any = {
    "items": [
        {
            "slug": "eastern-european",
            "name": "Eastern European States",
            "kind": "regional",
            "description": "Regional group of the General Assembly.",
            "source": "UN DGACM list of regional groups "
            "(https://www.un.org/dgacm/en/content/regional-groups)",
            "member_count": 23,
            "url": "/v1/groups/eastern-european",
        }
    ],
    "total": 7,
    "limit": 7,
    "offset": 0,
}

GROUP_LIST_CSV = (
    "slug,name,kind,member_count,description,source\r\n"
    "african,African States,regional,54,Regional group of the General Assembly (elections and seat rotation).,UN DGACM list of regional groups (https://www.un.org/dgacm/en/content/regional-groups)\r\n"
    "asia-pacific,Asia-Pacific States,regional,55,Regional group of the General Assembly; called the Asian Group until 2011.,UN DGACM list of regional groups (https://www.un.org/dgacm/en/content/regional-groups)\r\n"
    "eastern-european,Eastern European States,regional,23,Regional group of the General Assembly.,UN DGACM list of regional groups (https://www.un.org/dgacm/en/content/regional-groups)\r\n"
)

GROUP_DETAIL: Any = {
    "slug": "eastern-european",
    "name": "Eastern European States",
    "kind": "regional",
    "description": "Regional group of the General Assembly.",
    "source": "UN DGACM list of regional groups "
    "(https://www.un.org/dgacm/en/content/regional-groups)",
    "member_count": 23,
    "url": "/v1/groups/eastern-european",
    "on": "2021-06-18",
    "members": [
        {
            "code": "BLR",
            "name": "Belarus",
            "role": "member",
            "since": None,
            "since_precision": "day",
            "until": None,
            "notes": None,
            "url": "/v1/countries/BLR",
        },
        {
            "code": "RUS",
            "name": "Russian Federation",
            "role": "member",
            "since": None,
            "since_precision": "day",
            "until": None,
            "notes": "Continues the USSR's place in the group.",
            "url": "/v1/countries/RUS",
        },
        {
            "code": "UKR",
            "name": "Ukraine",
            "role": "member",
            "since": None,
            "since_precision": "day",
            "until": None,
            "notes": None,
            "url": "/v1/countries/UKR",
        },
    ],
}

GROUP_DETAIL_CSV = (
    "code,name,role,since,since_precision,until,notes\r\n"
    "ALB,Albania,member,,day,,\r\n"
    "ARM,Armenia,member,,day,,\r\n"
    "AZE,Azerbaijan,member,,day,,\r\n"
)

META: Any = {
    "dataset": {
        "version": 1,
        "changed_at": "2026-11-28T13:06:45.400588+00:00",
        "data_as_of": None,
        "latest_vote_on": "2021-06-18",
    },
    "sources": [
        {
            "slug": "unvotes",
            "name": "United Nations General Assembly Voting Data, 1946-2019 (R package unvotes)",
            "credit": "Erik Voeten, Anton Strezhnev and Michael Bailey, United Nations "
            "General Assembly Voting Data, Harvard Dataverse, hdl:1902.1/12379 "
            "(see also Bailey, Strezhnev and Voeten, Journal of Conflict "
            "Resolution 61(2), 2017); packaged as the R package unvotes by David "
            "Robinson and Nicholas Goguen-Compagnoni",
            "licence": "CC0 1.0 (public domain dedication)",
            "url": "https://hdl.handle.net/1902.1/12379",
            "imported_at": None,
        },
        {
            "slug": "undl",
            "name": "UN Digital Library voting data",
            "credit": "United Nations Dag Hammarskjöld Library, UN Digital Library voting records",
            "licence": "non-commercial, with attribution",
            "url": "https://digitallibrary.un.org",
            "imported_at": None,
        },
        {
            "slug": "undl-2022-secondary",
            "name": "UN Digital Library voting records of 2022, relayed by the hrc-voting "
            "research repository",
            "credit": "Łukasz Szoszkiewicz, hrc-voting (GitHub lszoszk/hrc-voting); United "
            "Nations Dag Hammarskjöld Library, General Assembly voting records",
            "licence": "PolyForm Noncommercial 1.0.0 (repository); UN terms: "
            "non-commercial, with attribution",
            "url": "https://github.com/lszoszk/hrc-voting",
            "imported_at": None,
        },
        {
            "slug": "seed",
            "name": "unga-tracker curated records",
            "credit": "unga-tracker project, compiled from public United Nations records",
            "licence": "facts from public UN records; compilation under the project's licence",
            "url": None,
            "imported_at": None,
        },
    ],
    "counts": {"countries": 201, "resolutions": 7, "vote_events": 7, "votes": 1209},
    "limits": {"page_size": 200, "vote_page_size": 1000},
    "formats": ["json", "csv"],
}

META_CSV = (
    "slug,name,credit,licence,url,imported_at\r\n"
    'unvotes,"United Nations General Assembly Voting Data, 1946-2019 (R package unvotes)","Erik Voeten, Anton Strezhnev and Michael Bailey, United Nations General Assembly Voting Data, Harvard Dataverse, hdl:1902.1/12379 (see also Bailey, Strezhnev and Voeten, Journal of Conflict Resolution 61(2), 2017); packaged as the R package unvotes by David Robinson and Nicholas Goguen-Compagnoni",CC0 1.0 (public domain dedication),https://hdl.handle.net/1902.1/12379,\r\n'
    'undl,UN Digital Library voting data,"United Nations Dag Hammarskjöld Library, UN Digital Library voting records","non-commercial, with attribution",https://digitallibrary.un.org,\r\n'
)
