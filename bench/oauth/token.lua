-- wrk script: the same client credentials request against either server.
-- Set by run.sh through the environment: BASIC (base64 client_id:secret), BODY (form body).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
wrk.body = os.getenv("BODY")
