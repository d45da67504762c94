using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>SPEC section 2 through HTTP: register, login, me, verify, refresh, logout, sessions, password.</summary>
public abstract class SessionTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Register_WithValidBody_Returns201WithUserRole()
    {
        var email = NewEmail();
        var response = await PostJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Ada" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = await ReadObjectAsync(response);
        Assert.True(Guid.TryParse(Str(user, "id"), out _));
        Assert.Equal(email, Str(user, "email"));
        Assert.Equal("Ada", Str(user, "name"));
        Assert.Equal("user", Str(user, "role"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", Str(user, "created_at"));
        Assert.Null(user["password"]);
        Assert.Null(user["password_hash"]);
    }

    [Fact]
    public async Task Register_WhenEmailTakenInOtherCase_Returns409Conflict()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var response = await PostJsonAsync("/api/v1/auth/register", new { email = email.ToUpperInvariant(), password = Password, name = "Twin" });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Register_WithRoleField_IsRefusedAndNeverCreatesAdmin()
    {
        var response = await PostRawAsync(
            "/api/v1/auth/register",
            $$"""{"email":"{{NewEmail()}}","password":"{{Password}}","name":"Mallory","role":"admin"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]?["role"]);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = 'Admin'"));
    }

    [Theory]
    [InlineData("correcthorsebatterystaple")] // PWD-02: no composition rules
    [InlineData("пароль-пароль-пароль")] // any Unicode
    [InlineData(null)] // 128 characters, built below
    public async Task Register_WithAcceptablePassword_CanLoginWithExactlyThatPassword(string? password)
    {
        password ??= new string('q', 127) + "z";
        var email = NewEmail();
        await RegisterAsync(email, password);

        await LoginAsync(email, password);
        // No truncation and no case folding (PWD-01).
        var truncated = await PostJsonAsync("/api/v1/auth/login", new { email, password = password[..^1] });
        await AssertProblemAsync(truncated, HttpStatusCode.Unauthorized, "invalid_credentials");
        var upper = await PostJsonAsync("/api/v1/auth/login", new { email, password = password.ToUpperInvariant() });
        await AssertProblemAsync(upper, HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Theory]
    [InlineData("short-pass1")] // 11 characters
    [InlineData("password1234")] // on the common list (PWD-03)
    [InlineData("Password1234")] // the list is matched case-insensitively
    [InlineData("123qweasdzxc")] // from zxcvbn's frequency list
    [InlineData("")]
    [InlineData(null)] // 129 characters, built below
    public async Task Register_WithUnacceptablePassword_Returns400WithReason(string? password)
    {
        password ??= new string('x', 128) + "y";
        var response = await PostJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password, name = "N" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        var reasons = problem["errors"]!["password"]!.AsArray();
        Assert.NotEmpty(reasons);
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = 'User'"));
    }

    [Fact]
    public async Task Login_WithRightPassword_ReturnsSessionPerSpec()
    {
        var email = NewEmail();
        var user = await RegisterAsync(email);

        var session = await LoginAsync(email.ToUpperInvariant());

        Assert.Equal("Bearer", Str(session, "token_type"));
        Assert.Equal(3600, (int)session["expires_in"]!);
        Assert.Matches(@"Z$", Str(session, "expires_at"));
        Assert.Equal(3, Str(session, "token").Split('.').Length);
        Assert.True(Str(session, "refresh_token").Length >= 43); // 256 bits, base64url
        Assert.Equal(Str(user, "id"), Str(session["user"], "id"));
        Assert.Equal("user", Str(session["user"], "role"));
        // SPEC's session fields, and mfa_required false (docs/api.md): the one object both login answers share.
        Assert.Equal(
            ["expires_at", "expires_in", "mfa_required", "refresh_token", "token", "token_type", "user"],
            session.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.False((bool)session["mfa_required"]!);
    }

    [Fact]
    public async Task Login_WithWrongPasswordOrUnknownEmail_AnswersTheSame()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var wrongPassword = await PostJsonAsync("/api/v1/auth/login", new { email, password = "wrong password here" });
        var unknownEmail = await PostJsonAsync("/api/v1/auth/login", new { email = NewEmail(), password = "wrong password here" });

        var a = await AssertProblemAsync(wrongPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await AssertProblemAsync(unknownEmail, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(Str(a, "detail"), Str(b, "detail"));
        Assert.Equal(Str(a, "title"), Str(b, "title"));
        Assert.Equal(wrongPassword.Headers.WwwAuthenticate.ToString(), unknownEmail.Headers.WwwAuthenticate.ToString());
        Assert.StartsWith("Bearer", wrongPassword.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Login_AfterTenFailures_LocksEvenForTheRightPassword()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        for (var i = 0; i < 9; i++)
        {
            var failed = await PostJsonAsync("/api/v1/auth/login", new { email, password = "not the password" });
            await AssertProblemAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var locking = await PostJsonAsync("/api/v1/auth/login", new { email, password = "not the password" });
        await AssertProblemAsync(locking, (HttpStatusCode)423, "account_locked");
        var right = await PostJsonAsync("/api/v1/auth/login", new { email, password = Password });
        await AssertProblemAsync(right, (HttpStatusCode)423, "account_locked");
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'account.locked'"));
        Assert.Equal(TimeSpan.FromMinutes(15), locking.Headers.RetryAfter?.Delta); // the lockout duration: the wait a dashboard shows
        Assert.Equal(TimeSpan.FromMinutes(15), right.Headers.RetryAfter?.Delta);

        Factory.Clock.Advance(TimeSpan.FromMinutes(16));
        await LoginAsync(email);
    }

    [Fact]
    public async Task Login_UnknownEmailLockedAfterTenFailures_AnswersLikeAKnownAccount()
    {
        var email = NewEmail(); // never registered
        HttpResponseMessage? last = null;
        for (var i = 0; i < 10; i++)
        {
            last = await PostJsonAsync("/api/v1/auth/login", new { email, password = "not the password" });
        }

        await AssertProblemAsync(last!, (HttpStatusCode)423, "account_locked");
        Assert.Equal(TimeSpan.FromMinutes(15), last!.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Login_TenWrongPasswordsInParallel_AllCountAndLock()
    {
        // RL-01 under concurrency: each failure is one atomic update, none is lost.
        var email = NewEmail();
        await RegisterAsync(email);

        var failures = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => PostJsonAsync("/api/v1/auth/login", new { email, password = "a parallel wrong guess" }))));

        Assert.All(failures, f => Assert.True(f.StatusCode is HttpStatusCode.Unauthorized or (HttpStatusCode)423, $"{(int)f.StatusCode}"));
        var right = await PostJsonAsync("/api/v1/auth/login", new { email, password = Password });
        await AssertProblemAsync(right, (HttpStatusCode)423, "account_locked");
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'account.locked'"));
    }

    [Fact]
    public async Task Me_WithAccessToken_ReturnsProfileAndAuthMethod()
    {
        var (email, session) = await NewSessionAsync();

        var response = await GetAsync("/api/v1/auth/me", Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await ReadObjectAsync(response);
        Assert.Equal(email, Str(me, "email"));
        Assert.False((bool)me["two_factor_enabled"]!);
        Assert.Equal("jwt", Str(me["auth"], "method"));
        var scopes = me["auth"]!["scopes"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Contains("profile", scopes);
        Assert.Contains("api_keys:write", scopes);
        Assert.DoesNotContain("admin", scopes);
    }

    [Fact]
    public async Task Me_WithoutCredentials_Returns401WithBareBearerChallenge()
    {
        var response = await GetAsync("/api/v1/auth/me");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer", challenge);
        Assert.DoesNotContain("error=", challenge);
    }

    [Fact]
    public async Task Verify_WithAccessToken_ReturnsActiveSubjectAndScopes()
    {
        var (_, session) = await NewSessionAsync();

        var response = await GetAsync("/api/v1/auth/verify", Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verify = await ReadObjectAsync(response);
        Assert.True((bool)verify["active"]!);
        Assert.Equal("jwt", Str(verify, "method"));
        Assert.Equal(Str(session["user"], "id"), Str(verify, "subject"));
        Assert.Equal(Str(session, "expires_at"), Str(verify, "expires_at"));
        Assert.Contains("profile", verify["scopes"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public async Task Refresh_RotatesAndTheOldTokenIsThenReuse()
    {
        var (_, session) = await NewSessionAsync();
        var first = Str(session, "refresh_token");

        var rotated = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = first });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var pair = await ReadObjectAsync(rotated);
        var second = Str(pair, "refresh_token");
        Assert.NotEqual(first, second);
        Assert.Equal("Bearer", Str(pair, "token_type"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/me", Str(pair, "token"))).StatusCode);

        // RT-02: the replayed token is refused, the family is revoked, the newest token dies with it.
        var replay = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = first });
        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");
        Assert.Contains("error=\"invalid_token\"", replay.Headers.WwwAuthenticate.ToString());
        var newest = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = second });
        Assert.Equal(HttpStatusCode.Unauthorized, newest.StatusCode);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'refresh_token.reused'"));
    }

    [Fact]
    public async Task TokenAnswers_AreMarkedNoStore()
    {
        var (email, _) = await NewSessionAsync();
        var login = await PostJsonAsync("/api/v1/auth/login", new { email, password = Password });
        var refresh = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(await ReadObjectAsync(login), "refresh_token") });

        Assert.True(login.Headers.CacheControl?.NoStore);
        Assert.True(refresh.Headers.CacheControl?.NoStore);
        Assert.Contains("no-cache", refresh.Headers.Pragma.ToString());
    }

    [Fact]
    public async Task Refresh_WithUnknownToken_Returns401InvalidToken()
    {
        var response = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = "not-a-token-we-issued" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Refresh_AfterTokenLifetime_Returns401()
    {
        var (_, session) = await NewSessionAsync();

        Factory.Clock.Advance(TimeSpan.FromDays(31));
        var response = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Refresh_PastTheSessionsAbsoluteLifetime_FailsEvenWhenRefreshedOften()
    {
        var (_, session) = await NewSessionAsync();
        var token = Str(session, "refresh_token");
        for (var day = 20; day <= 80; day += 20)
        {
            Factory.Clock.Advance(TimeSpan.FromDays(20));
            var response = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = token });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            token = Str(await ReadObjectAsync(response), "refresh_token");
        }

        Factory.Clock.Advance(TimeSpan.FromDays(11)); // day 91 > 90 days absolute (RT-05)
        var late = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = token });
        await AssertProblemAsync(late, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Logout_RevokesTheWholeFamily()
    {
        var (_, session) = await NewSessionAsync();
        var rotated = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }));

        var logout = await PostJsonAsync("/api/v1/auth/logout", new { refresh_token = Str(rotated, "refresh_token") });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var after = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(rotated, "refresh_token") });
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "invalid_token");
        // The session's access token no longer manages the account (EndedSessionTests covers every such call).
        await AssertProblemAsync(await GetAsync("/api/v1/auth/sessions", Str(rotated, "token")), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Sessions_ListsEachLoginAndRevokesOne()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var first = await LoginAsync(email);
        var second = await LoginAsync(email);

        var list = await ReadArrayAsync(await GetAsync("/api/v1/auth/sessions", Str(second, "token")));

        Assert.Equal(2, list.Count);
        Assert.All(list, s => Assert.NotNull(s!["created_at"]));
        Assert.All(list, s => Assert.NotNull(s!["last_used_at"]));
        var firstId = list.Single(s => !(bool)s!["current"]!)!["id"]!.ToString();
        var revoke = await DeleteAsync($"/api/v1/auth/sessions/{firstId}", Str(second, "token"));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refresh = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(first, "refresh_token") });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Single(await ReadArrayAsync(await GetAsync("/api/v1/auth/sessions", Str(second, "token"))));
    }

    [Fact]
    public async Task Sessions_RevokeAnotherUsersSession_Returns404AndLeavesItAlive()
    {
        var (_, victim) = await NewSessionAsync();
        var (_, attacker) = await NewSessionAsync();
        var victimSessionId = Str((await ReadArrayAsync(await GetAsync("/api/v1/auth/sessions", Str(victim, "token"))))[0], "id");

        var response = await DeleteAsync($"/api/v1/auth/sessions/{victimSessionId}", Str(attacker, "token"));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
        var stillAlive = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(victim, "refresh_token") });
        Assert.Equal(HttpStatusCode.OK, stillAlive.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_RevokesOtherSessionsAndKeepsThisOne()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var other = await LoginAsync(email);
        var current = await LoginAsync(email);
        const string newPassword = "a brand new passphrase";

        var response = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = newPassword }, Str(current, "token"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(other, "refresh_token") })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(current, "refresh_token") })).StatusCode);
        await LoginAsync(email, newPassword);
        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/login", new { email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task ChangePassword_WithWrongCurrentPassword_Returns401AndChangesNothing()
    {
        var (email, session) = await NewSessionAsync();

        var response = await PostJsonAsync("/api/v1/auth/password", new { current_password = "not my password", new_password = "a brand new passphrase" }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_credentials");
        await LoginAsync(email);
    }

    [Fact]
    public async Task ChangePassword_ToCommonPassword_Returns400AndKeepsSessions()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var other = await LoginAsync(email);
        var current = await LoginAsync(email);

        var response = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "password1234" }, Str(current, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(other, "refresh_token") })).StatusCode);
        await LoginAsync(email);
    }

    [Fact]
    public async Task BootstrapAdmin_CanLoginWithAdminRoleAndScope()
    {
        var session = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);

        Assert.Equal("admin", Str(session["user"], "role"));
        var me = await ReadObjectAsync(await GetAsync("/api/v1/auth/me", Str(session, "token")));
        Assert.Contains("admin", me["auth"]!["scopes"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public async Task AdminEndpoint_ForUser_Returns403InsufficientScopeNamingTheScope()
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync("/api/v1/admin/signing-keys/rotate", new { }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge);
        Assert.Contains("scope=\"admin\"", challenge);
    }

    [Fact]
    public async Task Secrets_NeverAppearInDatabaseOrLogs()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var session = await LoginAsync(email);
        var pair = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }));
        await PostJsonAsync("/api/v1/auth/login", new { email, password = "a wrong password attempt" });

        var database = await Factory.Database.DumpAllTextAsync();
        var logs = Factory.Logs.AllText;
        foreach (var secret in new[] { Password, "a wrong password attempt", Str(session, "refresh_token"), Str(pair, "refresh_token"), Str(session, "token") })
        {
            Assert.DoesNotContain(secret, database, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        Assert.Contains("login.failed", logs, StringComparison.Ordinal);
    }
}

public sealed class SessionTestsOnSqlite(SqliteApiFixture fixture) : SessionTests<SqliteApiFixture>(fixture);

public sealed class SessionTestsOnPostgres(PostgresApiFixture fixture) : SessionTests<PostgresApiFixture>(fixture);
