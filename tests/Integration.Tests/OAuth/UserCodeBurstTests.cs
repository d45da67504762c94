using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// A parallel burst of wrong user codes on the device verification page (RFC 8628 5.1) from one
/// signed-in browser: no more than <c>OAuth:DeviceUserCodeMaxFailures</c> codes are looked up, the
/// rest and then the right code are refused 429, and the budget returns after the window (fake clock).
/// </summary>
public abstract class UserCodeBurstTests<TFixture>(TFixture fixture) : DeviceFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const int Budget = 5;

    [Fact]
    public async Task VerificationPage_FortyWrongCodesInParallel_GetNoMoreThanTheBudgetLookedUp_ThenRecoverAfterTheWindow()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);
        var address = $"10.77.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        using var browser = NewBrowserAt(address);
        var entry = await SignInOnTheDevicePageAsync(browser, start, email);

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => EnterCodeAsync(browser, entry, "BBBB-" + "CDFGHJKLMNPQRSTVWXZ"[i % 19] + "BB" + "CDFG"[i / 19])));

        Assert.Equal(Budget, burst.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(40 - Budget, burst.Count(r => r.StatusCode == (HttpStatusCode)429));
        Assert.Equal((HttpStatusCode)429, (await EnterCodeAsync(browser, entry, start.UserCode)).StatusCode);

        Factory.Clock.Advance(TimeSpan.FromMinutes(16));

        var next = await StartAsync(app);
        using var later = NewBrowserAt(address);
        var again = await SignInOnTheDevicePageAsync(later, next, email);
        var consent = await EnterCodeAsync(later, again, next.UserCode);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("value=\"approve\"", await consent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class UserCodeBurstTestsOnSqlite(SqliteApiFixture fixture) : UserCodeBurstTests<SqliteApiFixture>(fixture);

public sealed class UserCodeBurstTestsOnPostgres(PostgresApiFixture fixture) : UserCodeBurstTests<PostgresApiFixture>(fixture);
