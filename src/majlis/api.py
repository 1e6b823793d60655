"""The JSON API, mounted at /api/v1/ (docs at /api/v1/docs, schema at /api/v1/openapi.json)."""

from majlis.accreditation.api import router as accreditation_router
from majlis.badges.api import router as badges_router
from majlis.core.api_support import MajlisAPI
from majlis.events.api import router as events_router
from majlis.gates.api import router as gates_router
from majlis.programme.api import router as programme_router

api = MajlisAPI(title="Majlis API", version="1", urls_namespace="api")
api.add_router("/", events_router)
api.add_router("/", programme_router)
api.add_router("/", accreditation_router)
api.add_router("/", badges_router)
api.add_router("/", gates_router)
