using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Audit;

/// <summary>SPEC section 8's audit trail and LOG-01: who, what, when (UTC), from where.</summary>
public abstract class AuditEventsTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task List_ForUser_ShowsOwnEventsOnlyWithAddressAndUtcTime()
    {
        const string MyAddress = "198.51.100.23";
        const string TheirAddress = "2001:db8:77::5";
        const string AdminAddress = "203.0.113.9";
        using var me = ClientAt.Behind(Factory, ProxiedApiFixture.Proxy, MyAddress);
        using var them = ClientAt.Behind(Factory, ProxiedApiFixture.Proxy, TheirAddress);
        using var admin = ClientAt.Behind(Factory, ProxiedApiFixture.Proxy, AdminAddress);
        var email = NewEmail();
        var registered = await me.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Me" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var myId = Str(await ReadObjectAsync(registered), "id");
        Assert.Equal(HttpStatusCode.Unauthorized, (await me.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "a wrong password here" })).StatusCode);
        var theirEmail = NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await them.PostAsJsonAsync("/api/v1/auth/register", new { email = theirEmail, password = Password, name = "Them" })).StatusCode);
        var theirs = await ReadObjectAsync(await them.PostAsJsonAsync("/api/v1/auth/login", new { email = theirEmail, password = Password }));
        var adminToken = Str(await ReadObjectAsync(await admin.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApiFactory.AdminEmail, password = AuthApiFactory.AdminPassword })), "token");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, $"/api/v1/admin/users/{myId}/disable", adminToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, $"/api/v1/admin/users/{myId}/enable", adminToken)).StatusCode);
        var mine = await ReadObjectAsync(await me.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }));

        var response = await SendAsync(me, HttpMethod.Get, "/api/v1/audit-events", Str(mine, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await ReadArrayAsync(response);
        Assert.Equal(myId, Str(mine["user"], "id"));
        Assert.Equal(
            new[] { "user.registered", "login.failed", "account.disabled", "account.enabled", "login.succeeded" }.Order(),
            events.Select(e => Str(e, "type")).Order());
        Assert.All(events, e => Assert.Equal(myId, Str(e, "user_id")));
        Assert.DoesNotContain(events, e => (string?)e!["user_id"] == Str(theirs["user"], "id"));
        Assert.All(events, e => Assert.EndsWith("Z", Str(e, "occurred_at")));
        // What the user did came from their address and names them as actor; what the administrator
        // did to them came from the administrator's address and names the administrator.
        var adminId = Str(await ReadObjectAsync(await SendAsync(admin, HttpMethod.Get, "/api/v1/auth/me", adminToken)), "id");
        foreach (var e in events)
        {
            var byAdmin = Str(e, "type") is "account.disabled" or "account.enabled";
            Assert.Equal(byAdmin ? AdminAddress : MyAddress, Str(e, "ip"));
            Assert.Equal(byAdmin ? adminId : myId, Str(e, "actor_id"));
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string token)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task List_EventWithDetails_AnswersThemAsAJsonObject()
    {
        var (email, session) = await NewSessionAsync();
        await PostJsonAsync("/api/v1/auth/login", new { email, password = "a wrong password here" });

        var events = await ReadArrayAsync(await GetAsync("/api/v1/audit-events?type=login.failed", Str(session, "token")));
        var login = await ReadArrayAsync(await GetAsync("/api/v1/audit-events?type=login.succeeded", Str(session, "token")));

        var failed = Assert.Single(events);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, failed!["details"]!.GetValueKind());
        Assert.Equal("wrong_password", (string?)failed["details"]!["reason"]);
        var amr = Assert.Single(login)!["details"]!["amr"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Equal(["pwd"], amr);
        Assert.False((bool)login[0]!["details"]!["recovery_code"]!);
    }

    [Fact]
    public async Task Refresh_IsAuditedInTheBatchOfIssuedTokens_WithItsSession()
    {
        var (_, session) = await NewSessionAsync();
        var refreshed = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }));

        // Written by the batch writer (every second, and at shutdown), not in the refresh's transaction.
        await Factory.Services.GetRequiredService<AuthPlatform.Infrastructure.Auditing.BatchedTokenAudit>().FlushAsync(CancellationToken.None);

        var events = await ReadArrayAsync(await GetAsync("/api/v1/audit-events?type=token.refreshed", Str(refreshed, "token")));
        var row = Assert.Single(events);
        Assert.Equal(Str(session["user"], "id"), Str(row, "user_id"));
        Assert.False(string.IsNullOrEmpty((string?)row!["details"]!["session"]));
    }

    [Fact]
    public async Task List_ForAdmin_ShowsEveryonesEventsAndFiltersByType()
    {
        var (_, user) = await NewSessionAsync();
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);

        var all = await ReadArrayAsync(await GetAsync("/api/v1/audit-events", Str(admin, "token")));
        var logins = await ReadArrayAsync(await GetAsync("/api/v1/audit-events?type=login.succeeded", Str(admin, "token")));

        Assert.Contains(all, e => (string?)e!["user_id"] == Str(user["user"], "id"));
        Assert.Equal(2, logins.Count); // the user's and the admin's
        Assert.All(logins, e => Assert.Equal("login.succeeded", Str(e, "type")));
    }

    [Fact]
    public async Task List_FilteredByTime_ReturnsOnlyThatWindow()
    {
        var (email, _) = await NewSessionAsync();
        Factory.Clock.Advance(TimeSpan.FromHours(2));
        var cut = Factory.Clock.GetUtcNow().AddMinutes(-1);
        var session = await LoginAsync(email);

        var since = await ReadArrayAsync(await GetAsync($"/api/v1/audit-events?from={Uri.EscapeDataString(cut.ToString("O"))}", Str(session, "token")));
        var until = await ReadArrayAsync(await GetAsync($"/api/v1/audit-events?to={Uri.EscapeDataString(cut.ToString("O"))}", Str(session, "token")));

        Assert.Single(since);
        Assert.Equal("login.succeeded", Str(since[0], "type"));
        Assert.Equal(2, until.Count); // registered, first login
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=100000")]
    [InlineData("?from=yesterday")]
    [InlineData("?from=2026-10-14T15:00:00Z&to=2026-10-13T15:00:00Z")]
    public async Task List_WithBadFilter_Returns400(string query)
    {
        var (_, session) = await NewSessionAsync();

        var response = await GetAsync($"/api/v1/audit-events{query}", Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task List_WithoutToken_Returns401()
    {
        await AssertProblemAsync(await GetAsync("/api/v1/audit-events"), HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

public sealed class AuditEventsTestsOnSqlite(ProxiedSqliteApiFixture fixture) : AuditEventsTests<ProxiedSqliteApiFixture>(fixture);

public sealed class AuditEventsTestsOnPostgres(ProxiedPostgresApiFixture fixture) : AuditEventsTests<ProxiedPostgresApiFixture>(fixture);
