# The token-issuance rows shared by bench/tokens.sh and bench/run.sh (issue 9's goals, measured
# beside issue 13's): sourced after bench/lib.sh, once the server runs with the bootstrap
# administrator ADMIN_EMAIL / ADMIN_PASSWORD (see token_rows_server_settings).
#
#   token_rows_setup        a service account, a first-party client and a user, each row checked once
#   token_rows_load         one round of client_credentials, refresh_oauth and refresh_session
#                           (BENCH_ROWS, a comma-separated list, limits the rows)

ADMIN_EMAIL="bench-admin@example.com"
ADMIN_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-admin"

# The settings bench_start_server needs for the rows: the bootstrap administrator.
token_rows_server_settings() { echo "Bootstrap__AdminEmail=$ADMIN_EMAIL" "Bootstrap__AdminPassword=$ADMIN_PASSWORD"; }

token_rows_setup() {
  api 200 "$TMP/login.json" POST /api/v1/auth/login -H 'Content-Type: application/json' \
    -d "$(json email "$ADMIN_EMAIL" password "$ADMIN_PASSWORD")"
  ADMIN_TOKEN=$(field "$TMP/login.json" token)

  api 201 "$TMP/sa.json" POST /api/v1/service-accounts -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"name":"bench-service","scopes":["profile"]}'
  SA_BASIC="Authorization: Basic $(printf '%s:%s' "$(field "$TMP/sa.json" client_id)" "$(field "$TMP/sa.json" client_secret)" | base64 -w0)"

  api 201 "$TMP/client.json" POST /api/v1/oauth/clients -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"name":"bench-first-party","type":"confidential","grant_types":["password","refresh_token"],"scopes":["profile"],"require_consent":false,"first_party":true}'
  export BENCH_AUTH_HEADER="Basic $(printf '%s:%s' "$(field "$TMP/client.json" client_id)" "$(field "$TMP/client.json" client_secret)" | base64 -w0)"

  USER_EMAIL="bench-user@example.com"
  USER_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
  api 201 /dev/null POST /api/v1/auth/register -H 'Content-Type: application/json' \
    -d "$(json email "$USER_EMAIL" password "$USER_PASSWORD" name "Bench User")"

  # Each check below also proves the row's request is answered 200 before it is loaded.
  api 200 "$TMP/cc.json" POST /oauth/token -H "$SA_BASIC" -d grant_type=client_credentials
  log "client_credentials answers 200 (expires_in $(field "$TMP/cc.json" expires_in))"
}

# --- refresh-token chains ------------------------------------------------------------------
# top_up: adds chains until $TOKENS_FILE holds three times as many as there are connections
# (each wrk run loses the chains whose request was in flight when it stopped). Two at a time:
# each costs a password hash.
top_up() {
  local mode="$REFRESH_MODE" file="$TOKENS_FILE" have want
  touch "$file"
  have=$(grep -c . "$file" || true)
  want=$((3 * CONNECTIONS))
  [ "$have" -lt "$want" ] || return 0
  export mode BASE USER_EMAIL USER_PASSWORD BENCH_AUTH_HEADER
  # shellcheck disable=SC2016
  seq 1 $((want - have)) | xargs -P 2 -I{} bash -c '
    if [ "$mode" = session ]; then
      body=$(curl -sf --max-time 60 -H "Content-Type: application/json" \
        -d "{\"email\":\"$USER_EMAIL\",\"password\":\"$USER_PASSWORD\"}" "$BASE/api/v1/auth/login")
    else
      body=$(curl -sf --max-time 60 -H "Authorization: $BENCH_AUTH_HEADER" \
        --data-urlencode grant_type=password --data-urlencode "username=$USER_EMAIL" \
        --data-urlencode "password=$USER_PASSWORD" --data-urlencode scope=profile "$BASE/oauth/token")
    fi || { echo "getting a refresh token ($mode) failed" >&2; exit 255; }
    printf "%s\n" "$body" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"refresh_token\"])"
  ' >>"$file" || die "could not create the $mode refresh-token chains"
}

# load_refresh NAME MODE URL: loads the chains of NAME, topped up before each wrk run.
load_refresh() {
  local name="$1" url="$3"
  TOKENS_FILE="$TMP/$name.tokens" REFRESH_MODE="$2"
  BEFORE_RUN=top_up BENCH_TOKENS_FILE="$TOKENS_FILE" BENCH_THREADS_TOTAL="$THREADS" BENCH_REFRESH_MODE="$REFRESH_MODE" \
    load "$name" "$url" "" "$LUA_DIR/refresh_chains.lua"
  log "$name: $(grep -c . "$TOKENS_FILE" || true) chains left"
}

# wanted NAME: whether BENCH_ROWS (default: every row) names NAME.
wanted() { [ -z "${BENCH_ROWS:-}" ] || [[ ",$BENCH_ROWS," == *",$1,"* ]]; }

token_rows_load() {
  ! wanted client_credentials || BENCH_FORM="grant_type=client_credentials" load client_credentials "$BASE/oauth/token" "$SA_BASIC" "$LUA_DIR/form_post.lua"
  ! wanted refresh_oauth || load_refresh refresh_oauth oauth "$BASE/oauth/token"
  ! wanted refresh_session || load_refresh refresh_session session "$BASE/api/v1/auth/refresh"
}
