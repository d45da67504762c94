using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// An access token outlives the end of its session only where nothing depends on it: after a
/// logout, a password change (of this session or another), or "sign out everywhere", every
/// account-security and administrative call refuses the old token with 401 invalid_token.
/// </summary>
public abstract class EndedSessionTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string NewPassword = "a brand new passphrase";

    private sealed record Call(string Method, string Path, object? Body, bool AsAdmin = false);

    private static readonly Dictionary<string, Call> Calls = new()
    {
        ["2fa.status"] = new("GET", "/api/v1/auth/2fa", null),
        ["2fa.setup"] = new("POST", "/api/v1/auth/2fa/setup", new { current_password = Password }),
        ["2fa.qr"] = new("GET", "/api/v1/auth/2fa/qr.png", null),
        ["2fa.enable"] = new("POST", "/api/v1/auth/2fa/enable", new { code = "123456", current_password = Password }),
        ["2fa.disable"] = new("POST", "/api/v1/auth/2fa/disable", new { code = "123456" }),
        ["2fa.recovery_codes"] = new("POST", "/api/v1/auth/2fa/recovery-codes", new { code = "123456" }),
        ["sessions.list"] = new("GET", "/api/v1/auth/sessions", null),
        ["sessions.revoke"] = new("DELETE", $"/api/v1/auth/sessions/{Guid.NewGuid()}", null),
        ["sessions.revoke_all"] = new("DELETE", "/api/v1/auth/sessions", null),
        ["password"] = new("POST", "/api/v1/auth/password", new { current_password = Password, new_password = "yet another passphrase" }),
        ["audit.list"] = new("GET", "/api/v1/audit-events", null),
        ["api_keys.list"] = new("GET", "/api/v1/auth/api-keys", null),
        ["api_keys.create"] = new("POST", "/api/v1/auth/api-keys", new { name = "attacker", permissions = new[] { "profile" } }),
        ["admin.users.list"] = new("GET", "/api/v1/admin/users", null, AsAdmin: true),
        ["admin.users.disable"] = new("POST", $"/api/v1/admin/users/{Guid.NewGuid()}/disable", new { }, AsAdmin: true),
        ["admin.api_keys.list"] = new("GET", "/api/v1/admin/api-keys", null, AsAdmin: true),
        ["admin.signing_keys.rotate"] = new("POST", "/api/v1/admin/signing-keys/rotate", new { }, AsAdmin: true),
    };

    private static readonly string[] Endings = ["logout", "password_change_elsewhere", "password_change_here", "sign_out_everywhere"];

    public static TheoryData<string, string> EndedCalls()
    {
        var data = new TheoryData<string, string>();
        foreach (var ending in Endings)
        {
            foreach (var call in Calls.Keys)
            {
                data.Add(ending, call);
            }
        }

        return data;
    }

    public static TheoryData<string> AllCalls() => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(EndedCalls))]
    public async Task AccountSecurityCall_WithTheAccessTokenOfAnEndedSession_Returns401InvalidToken(string ending, string call)
    {
        var target = Calls[call];
        var token = await EndedSessionTokenAsync(ending, target.AsAdmin);

        var response = await SendCallAsync(target, token);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(AllCalls))]
    public async Task AccountSecurityCall_WithALiveSession_IsNotRefusedAsEnded(string call)
    {
        // Control for the theory above: the same requests with a live session pass authentication.
        var target = Calls[call];
        var session = target.AsAdmin ? await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword) : (await NewSessionAsync()).Session;

        var response = await SendCallAsync(target, Str(session, "token"));

        Assert.True(response.StatusCode != HttpStatusCode.Unauthorized, $"{call}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Verify_AfterAPasswordChange_RefusesEveryOldAccessTokenAndAcceptsARefreshedOne()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var elsewhere = await LoginAsync(email);
        var here = await LoginAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", Str(here, "token"))).StatusCode); // remembered as verified

        var change = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = NewPassword }, Str(here, "token"));

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(here, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(elsewhere, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/me", Str(here, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        var refreshed = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(here, "refresh_token") }));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", Str(refreshed, "token"))).StatusCode);
    }

    [Fact]
    public async Task Verify_AfterARestart_StillRefusesATokenWhoseStampChangedBeforeIt()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var session = await LoginAsync(email);
        await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = NewPassword }, Str(session, "token"));

        // Another instance (or this one restarted) learns the change from the database at start-up.
        await using var restarted = new AuthApiFactory(Factory.Database);
        var lag = Factory.Clock.GetUtcNow() - restarted.Clock.GetUtcNow();
        if (lag > TimeSpan.Zero)
        {
            restarted.Clock.Advance(lag);
        }

        using var client = restarted.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
        request.Headers.Authorization = new("Bearer", Str(session, "token"));

        await AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task RevokeAll_EndsEverySessionAndEveryAccessTokenAndIsAudited()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var other = await LoginAsync(email);
        var current = await LoginAsync(email);

        var response = await DeleteAsync("/api/v1/auth/sessions", Str(current, "token"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var session in new[] { other, current })
        {
            await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }), HttpStatusCode.Unauthorized, "invalid_token");
            await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        }

        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'sessions.revoked_all'"));
        var again = await LoginAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/sessions", Str(again, "token"))).StatusCode);
    }

    /// <summary>A session's access token, once the session ended as <paramref name="ending"/> says.</summary>
    private async Task<string> EndedSessionTokenAsync(string ending, bool asAdmin)
    {
        var email = asAdmin ? AuthApiFactory.AdminEmail : NewEmail();
        var password = asAdmin ? AuthApiFactory.AdminPassword : Password;
        if (!asAdmin)
        {
            await RegisterAsync(email);
        }

        var session = await LoginAsync(email, password);
        var token = Str(session, "token");
        switch (ending)
        {
            case "logout":
                Assert.Equal(HttpStatusCode.NoContent, (await PostJsonAsync("/api/v1/auth/logout", new { refresh_token = Str(session, "refresh_token") })).StatusCode);
                break;
            case "password_change_elsewhere":
                var elsewhere = await LoginAsync(email, password);
                var changed = await PostJsonAsync("/api/v1/auth/password", new { current_password = password, new_password = NewPassword }, Str(elsewhere, "token"));
                Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
                break;
            case "password_change_here":
                var changedHere = await PostJsonAsync("/api/v1/auth/password", new { current_password = password, new_password = NewPassword }, token);
                Assert.Equal(HttpStatusCode.NoContent, changedHere.StatusCode);
                break;
            case "sign_out_everywhere":
                Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync("/api/v1/auth/sessions", token)).StatusCode);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(ending), ending, null);
        }

        return token;
    }

    private Task<HttpResponseMessage> SendCallAsync(Call call, string token) =>
        SendAsync(new HttpMethod(call.Method), call.Path, call.Body is null ? null : JsonContent.Create(call.Body), token);
}

public sealed class EndedSessionTestsOnSqlite(SqliteApiFixture fixture) : EndedSessionTests<SqliteApiFixture>(fixture);

public sealed class EndedSessionTestsOnPostgres(PostgresApiFixture fixture) : EndedSessionTests<PostgresApiFixture>(fixture);
