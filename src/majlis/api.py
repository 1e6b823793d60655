from ninja import NinjaAPI

api = NinjaAPI(title="Majlis API", version="1", urls_namespace="api")
