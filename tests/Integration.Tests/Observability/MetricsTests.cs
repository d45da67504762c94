using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using static AuthPlatform.Integration.Tests.Observability.CounterDeltas;

namespace AuthPlatform.Integration.Tests.Observability;

/// <summary>
/// SPEC section 8's metrics, read as Prometheus reads them: each test scrapes /metrics before and
/// after a few calls and asserts that exactly the expected counters moved, by exactly the
/// expected amounts, and no other <c>authplatform_</c> series did.
/// </summary>
public abstract class MetricsTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    public const string LoginsSucceeded = "authplatform_logins_succeeded_total";
    public const string LoginsFailed = "authplatform_logins_failed_total";
    public const string SecondFactorFailures = "authplatform_second_factor_failures_total";
    public const string Lockouts = "authplatform_lockouts_total";
    public const string TokensIssued = "authplatform_tokens_issued_total";
    public const string ReuseDetected = "authplatform_refresh_tokens_reuse_detected_total";
    public const string ApiKeyCache = "authplatform_api_keys_cache_lookups_total";
    public const string AdminChanges = "authplatform_accounts_admin_changes_total";
    public const string SessionsRevoked = "authplatform_sessions_revoked_total";
    public const string SignedOutEverywhere = "authplatform_sessions_signed_out_everywhere_total";

    private const string Login = "/api/v1/auth/login";

    private static readonly (string, double)[] SessionTokens =
        [(Series(TokensIssued, ("kind", "access")), 1), (Series(TokensIssued, ("kind", "refresh")), 1)];

    private Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.ReadAsync(Client);

    private async Task AssertMovedAsync(PrometheusScrape before, params (string Series, double By)[] expected)
    {
        var moved = Between(before, await ScrapeAsync());
        Assert.Equal(expected.OrderBy(e => e.Series, StringComparer.Ordinal).ToDictionary(e => e.Series, e => e.By), moved);
    }

    [Fact]
    public async Task Login_WrongPasswordThenUnknownAccount_CountsOneFailureForEachReason()
    {
        var email = NewEmail();
        var user = await RegisterAsync(email);
        var before = await ScrapeAsync();

        await AssertProblemAsync(await PostJsonAsync(Login, new { email, password = "not the password at all" }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertProblemAsync(await PostJsonAsync(Login, new { email = NewEmail(), password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");

        await AssertMovedAsync(before, (Series(LoginsFailed, ("reason", "wrong_password")), 1), (Series(LoginsFailed, ("reason", "unknown_account")), 1));
        var text = (await ScrapeAsync()).Text;
        Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Str(user, "id"), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_RightPassword_CountsOneLoginAndItsAccessAndRefreshTokens()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var before = await ScrapeAsync();

        await LoginAsync(email);

        await AssertMovedAsync(before, [(Series(LoginsSucceeded, ("second_factor", "none")), 1), .. SessionTokens]);
    }

    [Fact]
    public async Task Refresh_ValidToken_CountsANewAccessAndRefreshTokenAndNoLogin()
    {
        var (_, session) = await NewSessionAsync();
        var before = await ScrapeAsync();

        var refresh = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        await AssertMovedAsync(before, SessionTokens);
    }

    [Fact]
    public async Task Refresh_TokenPresentedAgain_CountsOneReuseDetection()
    {
        var (_, session) = await NewSessionAsync();
        var before = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") })).StatusCode);
        var replay = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });

        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");
        await AssertMovedAsync(before, [(Series(ReuseDetected), 1), .. SessionTokens]);
    }

    [Fact]
    public async Task Login_TenWrongPasswordsThenTheRightOne_CountsTenFailuresOneLockoutAndOneLockedRefusal()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var before = await ScrapeAsync();

        for (var i = 0; i < 10; i++)
        {
            await PostJsonAsync(Login, new { email, password = $"wrong password number {i}" });
        }

        await AssertProblemAsync(await PostJsonAsync(Login, new { email, password = Password }), (HttpStatusCode)423, "account_locked");
        await AssertMovedAsync(
            before, (Series(LoginsFailed, ("reason", "wrong_password")), 10), (Series(Lockouts), 1), (Series(LoginsFailed, ("reason", "locked")), 1));
    }

    [Fact]
    public async Task LoginWithSecondFactor_WrongThenRightCode_CountsTheMfaTokenTheFailureAndTheLogin()
    {
        var (email, session) = await NewSessionAsync();
        var secret = Str(await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/2fa/setup", new { current_password = Password }, Str(session, "token"))), "secret");
        var enable = await PostJsonAsync("/api/v1/auth/2fa/enable", new { code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow()), current_password = Password }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow());
        var before = await ScrapeAsync();

        var mfaToken = Str(await LoginAsync(email), "mfa_token");
        var wrong = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = code == "123456" ? "654321" : "123456" });
        var right = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        await AssertMovedAsync(
            before,
            [(Series(TokensIssued, ("kind", "mfa")), 1), (Series(SecondFactorFailures, ("step", "login")), 1),
             (Series(LoginsSucceeded, ("second_factor", "otp")), 1), .. SessionTokens]);
    }

    [Fact]
    public async Task AdminChanges_RoleChangeDisableEnableAndUnlock_CountOneOfEachChange()
    {
        var id = Str(await RegisterAsync(), "id");
        var admin = Str(await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword), "token");
        var before = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, $"/api/v1/admin/users/{id}/role", JsonContent.Create(new { role = "admin" }), admin)).StatusCode);
        foreach (var action in new[] { "disable", "enable", "unlock" })
        {
            Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"/api/v1/admin/users/{id}/{action}", new { }, admin)).StatusCode);
        }

        await AssertMovedAsync(
            before,
            (Series(AdminChanges, ("change", "role_changed")), 1), (Series(AdminChanges, ("change", "disabled")), 1),
            (Series(AdminChanges, ("change", "enabled")), 1), (Series(AdminChanges, ("change", "unlocked")), 1));
    }

    [Fact]
    public async Task SessionEnds_LogoutRevokeOneAndSignOutEverywhere_CountEachSessionByReasonAndTheSignOut()
    {
        var (email, loggedOut) = await NewSessionAsync();
        var revoked = await LoginAsync(email);
        var current = Str(await LoginAsync(email), "token");
        var before = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await PostJsonAsync("/api/v1/auth/logout", new { refresh_token = Str(loggedOut, "refresh_token") })).StatusCode);
        var sessionId = new JsonWebToken(Str(revoked, "token")).GetPayloadValue<string>("sid");
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"/api/v1/auth/sessions/{sessionId}", current)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync("/api/v1/auth/sessions", current)).StatusCode);

        await AssertMovedAsync(
            before,
            (Series(SessionsRevoked, ("reason", "logout")), 1), (Series(SessionsRevoked, ("reason", "revoked_by_user")), 1), (Series(SignedOutEverywhere), 1));
    }
}

[Collection(MetricsCollection.Name)]
public sealed class MetricsTestsOnSqlite(SqliteMetricsFixture fixture) : MetricsTests<SqliteMetricsFixture>(fixture);

[Collection(MetricsCollection.Name)]
public sealed class MetricsTestsOnPostgres(PostgresMetricsFixture fixture) : MetricsTests<PostgresMetricsFixture>(fixture);
