using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// SPEC section 8: bad input never yields a 500. Malformed JSON, wrong types, unknown fields,
/// missing bodies, wrong media types, oversized bodies, very long strings and odd Unicode all
/// get a clear 4xx problem with a stable <c>code</c>, and none of them changes the database.
/// </summary>
public abstract class BadInputTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Theory]
    [MemberData(nameof(BadInputCases.Malformed), MemberType = typeof(BadInputCases))]
    public async Task Post_WithMalformedBody_Returns4xxProblemAndChangesNothing(string endpoint, string badCase)
    {
        var target = await PrepareAsync(endpoint);

        var response = await SendBadAsync(target, BadInputCases.Build(badCase, target.Field, target.ValidBody()));

        var (status, code) = BadInputCases.Expected(endpoint, badCase);
        await AssertProblemAsync(response, status, code);
        await AssertNothingChangedAsync(target);
    }

    [Theory]
    [MemberData(nameof(BadInputCases.OddValues), MemberType = typeof(BadInputCases))]
    public async Task Post_WithOddValue_Returns4xxProblemAndChangesNothing(string endpoint, string badCase)
    {
        var target = await PrepareAsync(endpoint);

        var response = await SendBadAsync(target, BadInputCases.Build(badCase, target.Field, target.ValidBody()));

        await AssertClientErrorProblemAsync(response);
        await AssertNothingChangedAsync(target);
    }

    [Theory]
    [MemberData(nameof(BadInputCases.OddUnicode), MemberType = typeof(BadInputCases))]
    public async Task Post_WithOddUnicodeInCredential_Returns4xxProblemAndChangesNothing(string endpoint, string oddCase)
    {
        var target = await PrepareAsync(endpoint);
        var body = target.ValidBody();
        body[target.Field] = BadInputCases.OddText(oddCase);

        var response = await PostRawAsync(target.Path, body.ToJsonString(), target.Token);

        await AssertClientErrorProblemAsync(response);
        await AssertNothingChangedAsync(target);
    }

    [Theory]
    [InlineData("nul")]
    [InlineData("rtl_override")]
    [InlineData("zero_width_joiner")]
    [InlineData("mixed_scripts")]
    public async Task Logout_WithOddUnicodeToken_Returns204LikeAnyUnknownTokenAndRevokesNothing(string oddCase)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostRawAsync("/api/v1/auth/logout", new JsonObject { ["refresh_token"] = BadInputCases.OddText(oddCase) }.ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var refresh = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Theory]
    [InlineData("name_nul", "name", "Ada\u0000Lovelace")]
    [InlineData("name_line_break", "name", "Ada\r\nLovelace")]
    [InlineData("name_rtl_override", "name", "Ada\u202Enimda")]
    [InlineData("name_10kb", "name", null)]
    [InlineData("email_rtl_override", "email", "\u202Eadmin@example.com")]
    [InlineData("email_zero_width_joiner", "email", "ad\u200Dmin@example.com")]
    [InlineData("email_zero_width_space", "email", "admin\u200B@example.com")]
    [InlineData("email_nul", "email", "admin\u0000@example.com")]
    public async Task Register_WithOddText_Returns400AndCreatesNoUser(string label, string field, string? value)
    {
        Assert.False(string.IsNullOrEmpty(label));
        value ??= new string('n', 10 * 1024);
        var body = new JsonObject { ["email"] = NewEmail(), ["password"] = Password, ["name"] = "Test User" };
        body[field] = value;
        var before = await UserCountAsync();

        var response = await PostRawAsync("/api/v1/auth/register", body.ToJsonString());

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]?[field]);
        Assert.Equal(before, await UserCountAsync());
    }

    [Theory]
    [InlineData("Ada \U0001F468\u200D\U0001F469\u200D\U0001F467")] // an emoji family: zero-width joiners
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")] // Persian needs a zero-width non-joiner
    [InlineData("\u05D3\u05D5\u05D3 \u0644\u064A\u0644\u0649")] // right-to-left scripts without override characters
    public async Task Register_WithLegitimateUnicodeName_Returns201WithTheExactName(string name)
    {
        var response = await PostJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password = Password, name });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(name, Str(await ReadObjectAsync(response), "name"));
    }

    [Theory]
    [InlineData("register", false)]
    [InlineData("register", true)]
    [InlineData("login", false)]
    [InlineData("login", true)]
    [InlineData("refresh", false)]
    [InlineData("refresh", true)]
    [InlineData("logout", false)]
    [InlineData("logout", true)]
    [InlineData("password", false)]
    [InlineData("password", true)]
    public async Task Post_WithBodyOverOneMebibyte_Returns413PayloadTooLarge(string endpoint, bool chunked)
    {
        var target = await PrepareAsync(endpoint);
        var body = target.ValidBody();
        body[target.Field] = new string('a', (1024 * 1024) + 16);
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        HttpContent content = chunked
            ? new StreamContent(new NonSeekableStream(bytes))
            : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal(chunked, content.Headers.ContentLength is null);

        var response = await SendAsync(HttpMethod.Post, target.Path, content, target.Token);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await AssertNothingChangedAsync(target);
    }

    [Theory]
    [InlineData("GET", "/api/v1/auth/nothing-here")]
    [InlineData("POST", "/api/v1/auth/nothing-here")]
    [InlineData("GET", "/api/v2/auth/me")]
    [InlineData("DELETE", "/api/v1/auth/sessions/not-a-guid")]
    public async Task Request_ToUnknownRoute_Returns404Problem(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path, null, null);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("GET", "/api/v1/auth/login")]
    [InlineData("PUT", "/api/v1/auth/register")]
    [InlineData("DELETE", "/api/v1/auth/refresh")]
    [InlineData("POST", "/api/v1/auth/me")]
    [InlineData("GET", "/api/v1/admin/signing-keys/rotate")]
    public async Task Request_WithWrongMethod_Returns405ProblemWithAllow(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path, null, null);

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    private async Task<Target> PrepareAsync(string endpoint)
    {
        string? token = null;
        string? email = null;
        if (endpoint == "password")
        {
            (email, var session) = await NewSessionAsync();
            token = Str(session, "token");
        }

        return new Target(endpoint, token, email, await UserCountAsync());
    }

    private async Task<HttpResponseMessage> SendBadAsync(Target target, BadBody bad)
    {
        HttpContent? content = null;
        if (bad.Bytes is not null)
        {
            content = new ByteArrayContent(bad.Bytes);
            if (bad.ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(bad.ContentType);
            }
        }

        return await SendAsync(HttpMethod.Post, target.Path, content, target.Token);
    }

    /// <summary>4xx, <c>application/problem+json</c>, a stable code, and no internals.</summary>
    private static async Task AssertClientErrorProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"Expected a 4xx problem, got {status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Matches("^[a-z_]+$", (string?)problem["code"] ?? "");
        Assert.Equal(status, (int?)problem["status"]);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    /// <summary>Bad input loses nothing: no user appears or vanishes, and a password is never changed by it.</summary>
    private async Task AssertNothingChangedAsync(Target target)
    {
        Assert.Equal(target.UsersBefore, await UserCountAsync());
        if (target.Email is not null)
        {
            await LoginAsync(target.Email);
        }
    }

    private Task<long> UserCountAsync() => Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM users");

    private sealed record Target(string Endpoint, string? Token, string? Email, long UsersBefore)
    {
        public string Path => $"/api/v1/auth/{Endpoint}";

        /// <summary>The string field that bad values are put into.</summary>
        public string Field => Endpoint switch
        {
            "register" or "login" => "email",
            "refresh" or "logout" => "refresh_token",
            "password" => "current_password",
            _ => throw new ArgumentOutOfRangeException(nameof(Endpoint), Endpoint, null),
        };

        /// <summary>A body that is fine in every respect (so each case changes exactly one thing).</summary>
        public JsonObject ValidBody() => Endpoint switch
        {
            "register" => new JsonObject { ["email"] = NewEmail(), ["password"] = Password, ["name"] = "Test User" },
            "login" => new JsonObject { ["email"] = NewEmail(), ["password"] = Password },
            "refresh" or "logout" => new JsonObject { ["refresh_token"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
            "password" => new JsonObject { ["current_password"] = Password, ["new_password"] = "a brand new passphrase" },
            _ => throw new ArgumentOutOfRangeException(nameof(Endpoint), Endpoint, null),
        };
    }
}

/// <summary>A body as bytes (null: no body at all) with its content type (null: none).</summary>
public sealed record BadBody(byte[]? Bytes, string? ContentType);

/// <summary>The catalogue of bad request bodies for <see cref="BadInputTests{TFixture}"/>.</summary>
public static class BadInputCases
{
    public static readonly string[] Endpoints = ["register", "login", "refresh", "logout", "password"];

    /// <summary>Bodies that cannot bind: every endpoint must refuse them the same way.</summary>
    public static readonly string[] MalformedCases =
    [
        "malformed_json", "truncated_json", "not_json", "invalid_utf8",
        "number_for_string", "bool_for_string", "array_for_string", "object_for_string",
        "body_is_array", "body_is_string", "body_is_number",
        "unknown_field", "null_body", "empty_body", "no_body",
        "text_plain", "no_content_type", "deeply_nested_value", "deeply_nested_body",
        "lone_high_surrogate", "lone_low_surrogate", "reversed_surrogates",
    ];

    /// <summary>Well-formed bodies with values no endpoint may accept.</summary>
    public static readonly string[] OddValueCases =
    [
        "null_value", "empty_string", "long_string_100kb",
    ];

    /// <summary>Odd but well-formed Unicode in a credential: refused as a wrong credential, never a 500.</summary>
    public static readonly string[] OddUnicodeCases = ["nul", "rtl_override", "zero_width_joiner", "mixed_scripts"];

    public static TheoryData<string, string> OddUnicode
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var endpoint in new[] { "login", "refresh", "password" })
            {
                foreach (var oddCase in OddUnicodeCases)
                {
                    data.Add(endpoint, oddCase);
                }
            }

            return data;
        }
    }

    public static string OddText(string oddCase) => oddCase switch
    {
        "nul" => "admin\u0000@example.com",
        "rtl_override" => "\u202Emoc.elpmaxe@nimda",
        "zero_width_joiner" => "ad\u200Dmin\u200C@example.com\uFEFF",
        "mixed_scripts" => "\u0430dmin@ex\u0430mple.com \U0001F468\u200D\U0001F469\u200D\U0001F467 \u05D0\u05D1",
        _ => throw new ArgumentOutOfRangeException(nameof(oddCase), oddCase, null),
    };

    public static TheoryData<string, string> Malformed => Cross(MalformedCases);

    public static TheoryData<string, string> OddValues => Cross(OddValueCases);

    /// <summary>
    /// Refresh and logout take no body at all when the token is in the dashboard's cookie: with neither, the token is
    /// missing (400), as with an empty body.
    /// </summary>
    public static (HttpStatusCode Status, string Code) Expected(string endpoint, string badCase) => badCase switch
    {
        "no_body" when endpoint is "refresh" or "logout" => (HttpStatusCode.BadRequest, "validation_failed"),
        "text_plain" or "no_content_type" or "no_body" => (HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
        _ => (HttpStatusCode.BadRequest, "validation_failed"),
    };

    public static BadBody Build(string badCase, string field, JsonObject valid)
    {
        string Json(string fieldJson)
        {
            var copy = JsonNode.Parse(valid.ToJsonString())!.AsObject();
            copy.Remove(field);
            var rest = copy.ToJsonString().TrimStart('{').TrimEnd('}');
            return rest.Length == 0 ? $"{{\"{field}\":{fieldJson}}}" : $"{{\"{field}\":{fieldJson},{rest}}}";
        }

        static BadBody Body(string json, string? contentType = "application/json") => new(Encoding.UTF8.GetBytes(json), contentType);

        return badCase switch
        {
            "malformed_json" => Body("{"),
            "truncated_json" => Body(valid.ToJsonString()[..^2]),
            "not_json" => Body("email=a@example.com&password=x"),
            "invalid_utf8" => new BadBody([.. Encoding.UTF8.GetBytes($"{{\"{field}\":\"a"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")], "application/json"),
            "number_for_string" => Body(Json("5")),
            "bool_for_string" => Body(Json("true")),
            "array_for_string" => Body(Json("[\"a@example.com\"]")),
            "object_for_string" => Body(Json("{\"value\":\"a@example.com\"}")),
            "body_is_array" => Body($"[{valid.ToJsonString()}]"),
            "body_is_string" => Body("\"a@example.com\""),
            "body_is_number" => Body("42"),
            "unknown_field" => Body(valid.ToJsonString().TrimEnd('}') + ",\"is_admin\":true}"),
            "null_body" => Body("null"),
            "empty_body" => Body(""),
            "no_body" => new BadBody(null, null),
            "text_plain" => Body(valid.ToJsonString(), "text/plain"),
            "no_content_type" => Body(valid.ToJsonString(), null),
            "deeply_nested_value" => Body(Json(new string('[', 100) + new string(']', 100))),
            "deeply_nested_body" => Body(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)),
            "lone_high_surrogate" => Body(Json("\"abc\\ud800def\"")),
            "lone_low_surrogate" => Body(Json("\"abc\\udc00def\"")),
            "reversed_surrogates" => Body(Json("\"\\udc00\\ud800\"")),
            "null_value" => Body(Json("null")),
            "empty_string" => Body(Json("\"\"")),
            "long_string_100kb" => Body(Json($"\"{new string('e', 100 * 1024)}@example.com\"")),
            _ => throw new ArgumentOutOfRangeException(nameof(badCase), badCase, null),
        };
    }

    private static TheoryData<string, string> Cross(string[] cases)
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var badCase in cases)
            {
                data.Add(endpoint, badCase);
            }
        }

        return data;
    }
}

/// <summary>A read-only stream that cannot seek, so <see cref="StreamContent"/> has no length and the body goes chunked.</summary>
public sealed class NonSeekableStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

public sealed class BadInputTestsOnSqlite(SqliteApiFixture fixture) : BadInputTests<SqliteApiFixture>(fixture);

public sealed class BadInputTestsOnPostgres(PostgresApiFixture fixture) : BadInputTests<PostgresApiFixture>(fixture);
