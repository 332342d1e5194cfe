from ninja import NinjaAPI

api = NinjaAPI(title="Xinfang API", version="1", docs_url="/docs")
