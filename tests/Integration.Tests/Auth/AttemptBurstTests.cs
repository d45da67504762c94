using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Extensions;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// ADR 0012 through HTTP, with the per-address rate limit lifted so the rule behind it is what
/// answers: bursts get no more evaluations than the budget, an unknown e-mail answers exactly like
/// a known one, and strangers' guessing does not keep the owner out of a known address.
/// Clients reach the app through a trusted proxy that names them in X-Forwarded-For.
/// </summary>
public abstract class AttemptBurstTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : BurstFixture
{
    private const string Owner = "198.51.100.1";

    private HttpClient From(string address) => ProxiedClients.From(Factory, address, BurstFixture.Proxy);

    private async Task<string> RegisterFromAsync(string address)
    {
        var email = NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await From(address).PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Burst" })).StatusCode);
        return email;
    }

    private static async Task<HttpStatusCode[]> BurstAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(async i => { await gate.Task; return (await send(i)).StatusCode; }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Login_SixtyParallelWithTheRightPasswordAmongThem_EvaluatesAtMostTheBudget()
    {
        var email = await RegisterFromAsync(Owner);
        var attacker = From("203.0.113.50");

        var answers = await BurstAsync(60, i => attacker.PostAsJsonAsync(
            "/api/v1/auth/login", new { email, password = i == 30 ? Password : $"wrong guess number {i}" }));

        var evaluated = answers.Count(a => a is HttpStatusCode.Unauthorized or HttpStatusCode.OK);
        Assert.InRange(evaluated, 1, BurstFixture.Limit);
        Assert.InRange(answers.Count(a => a == HttpStatusCode.Unauthorized), 0, BurstFixture.Limit);
        Assert.All(answers, a => Assert.Contains(a, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Locked }));
        Assert.Contains(HttpStatusCode.Locked, answers);
    }

    [Fact]
    public async Task LoginSecondStep_SixtyParallelWrongCodes_EvaluatesAtMostTheBudget()
    {
        var (email, _) = await NewSessionAsync();
        await EnableTwoFactorWithRecoveryCodesAsync(email);
        var mfaToken = await MfaTokenAsync(email);

        var answers = await BurstAsync(60, i => Client.PostAsJsonAsync(
            "/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        Assert.InRange(answers.Count(a => a == HttpStatusCode.Unauthorized), 1, BurstFixture.Limit);
        Assert.Equal(60 - answers.Count(a => a == HttpStatusCode.Unauthorized), answers.Count(a => a == HttpStatusCode.Locked));
    }

    [Fact]
    public async Task LoginSecondStep_SixtyParallelCodesWithTheRightOneAmongThem_EvaluatesAtMostTheBudget()
    {
        var (email, _) = await NewSessionAsync();
        var (secret, _, _) = await EnableTwoFactorWithRecoveryCodesAsync(email);
        var mfaToken = await MfaTokenAsync(email);
        var right = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow());
        var wrong = Enumerable.Range(0, 60).Select(i => (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => c != right).ToArray();

        var answers = await BurstAsync(60, i => Client.PostAsJsonAsync(
            "/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = i == 30 ? right : wrong[i] }));

        Assert.InRange(await EvaluatedWrongFactorsAsync(email), 1, BurstFixture.Limit);
        Assert.InRange(answers.Count(a => a == HttpStatusCode.OK), 0, 1);
        Assert.All(answers, a => Assert.Contains(a, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Locked }));
        Assert.Contains(HttpStatusCode.Locked, answers);
    }

    [Fact]
    public async Task LoginSecondStep_SixtyParallelRecoveryCodesWithTheRightOneAmongThem_EvaluatesAtMostTheBudget()
    {
        var (email, _) = await NewSessionAsync();
        var (_, recoveryCodes, _) = await EnableTwoFactorWithRecoveryCodesAsync(email);
        var mfaToken = await MfaTokenAsync(email);

        var answers = await BurstAsync(60, i => Client.PostAsJsonAsync(
            "/api/v1/auth/login/2fa", new { mfa_token = mfaToken, recovery_code = i == 30 ? recoveryCodes[0] : WrongRecoveryCode(i) }));

        Assert.InRange(await EvaluatedWrongFactorsAsync(email), 1, BurstFixture.Limit);
        Assert.InRange(answers.Count(a => a == HttpStatusCode.OK), 0, 1);
        Assert.All(answers, a => Assert.Contains(a, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Locked }));
        Assert.Contains(HttpStatusCode.Locked, answers);
    }

    [Fact]
    public async Task StepUp_SixtyParallelCodesWithTheRightOneAmongThem_EvaluatesAtMostTheBudget()
    {
        var (email, _) = await NewSessionAsync();
        var (secret, _, session) = await EnableTwoFactorWithRecoveryCodesAsync(email);
        var token = Str(session, "token");
        var right = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow());
        var wrong = Enumerable.Range(0, 60).Select(i => (200000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => c != right).ToArray();

        var answers = await BurstAsync(60, i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys") { Content = JsonContent.Create(new { name = $"burst {i}", permissions = new[] { "profile" } }) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-2FA-Code", i == 30 ? right : wrong[i]);
            return Client.SendAsync(request);
        });

        Assert.InRange(await EvaluatedWrongFactorsAsync(email), 1, BurstFixture.Limit);
        Assert.InRange(answers.Count(a => a == HttpStatusCode.Created), 0, 1);
        Assert.InRange(await Fixture.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"), 0, 1);
        Assert.All(answers, a => Assert.Contains(a, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Created, HttpStatusCode.Locked }));
        Assert.Contains(HttpStatusCode.Locked, answers);
    }

    [Fact]
    public async Task Login_UnknownAndKnownEmail_AnswerAlikeAndDoTheSameWorkBeforeAndAfterTheLimit()
    {
        var known = await RegisterFromAsync(Owner);
        var unknown = NewEmail();
        var attacker = From("203.0.113.60");
        var work = Fixture.Work;

        // Per attempt: the answer (status, code, body), the password-hash verifications of the real
        // hasher, and the SQL statements sent to the real database, as "VERB table".
        async Task<List<(string Answer, int Verifications, string Statements)>> TryAsync(string email)
        {
            var seen = new List<(string, int, string)>();
            for (var i = 0; i < BurstFixture.Limit + 2; i++)
            {
                work.Clear();
                var response = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not the password at all" });
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                body.Remove("trace_id");
                seen.Add(($"{(int)response.StatusCode} {body.ToJsonString()}", work.Verifications, string.Join(", ", work.Statements)));
            }

            return seen;
        }

        var knownAttempts = await TryAsync(known);
        var unknownAttempts = await TryAsync(unknown);

        Assert.Equal(knownAttempts.Select(a => a.Answer), unknownAttempts.Select(a => a.Answer));
        Assert.Equal(knownAttempts.Select(a => a.Verifications), unknownAttempts.Select(a => a.Verifications));
        // The same claims, counts and reads in the same order; the one difference: the failure that
        // locks a known account writes one more audit row (account.locked, which has no user to name
        // for an unknown address), in the same batch as its login.failed row.
        var locking = BurstFixture.Limit - 1;
        Assert.Equal(
            knownAttempts.Select((a, i) => i == locking ? a.Statements.Replace(", INSERT audit_events, INSERT audit_events", ", INSERT audit_events", StringComparison.Ordinal) : a.Statements),
            unknownAttempts.Select(a => a.Statements));
        Assert.EndsWith(", INSERT audit_events, INSERT audit_events", knownAttempts[locking].Statements, StringComparison.Ordinal);
        Assert.StartsWith("401 ", knownAttempts[0].Answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"invalid_credentials\"", knownAttempts[0].Answer, StringComparison.Ordinal);
        Assert.StartsWith("423 ", knownAttempts[^1].Answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"account_locked\"", knownAttempts[^1].Answer, StringComparison.Ordinal);
        // One verification per evaluated attempt, none once the budget is spent (the 423 shortcut).
        Assert.Equal(1, knownAttempts[0].Verifications);
        Assert.Equal(0, knownAttempts[^1].Verifications);
        Assert.Contains("UPDATE attempt_counters", knownAttempts[0].Statements, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_AccountLockedByStrangers_OwnerFromAKnownAddressStillSignsIn()
    {
        var email = await RegisterFromAsync(Owner);
        Assert.Equal(HttpStatusCode.OK, (await From(Owner).PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })).StatusCode);

        // Strangers from many addresses spend the account-wide budget.
        for (var i = 0; i < BurstFixture.AccountLimit; i++)
        {
            await From($"203.0.113.{100 + i}").PostAsJsonAsync("/api/v1/auth/login", new { email, password = "a stranger's guess" });
        }

        var stranger = await From("203.0.113.250").PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        var owner = await From(Owner).PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });

        Assert.Equal(HttpStatusCode.Locked, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    /// <summary>Turns 2FA on for the account; answers its TOTP secret, its recovery codes and a password-only session (so step-up needs a code).</summary>
    private async Task<(string Secret, string[] RecoveryCodes, JsonObject Session)> EnableTwoFactorWithRecoveryCodesAsync(string email)
    {
        var session = await LoginAsync(email);
        var setup = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/2fa/setup", new { current_password = Password }, Str(session, "token")));
        var secret = Str(setup, "secret");
        var code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow());
        var enabled = await PostJsonAsync("/api/v1/auth/2fa/enable", new { code, current_password = Password }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var recoveryCodes = (await ReadObjectAsync(enabled))["recovery_codes"]!.AsArray().Select(c => (string)c!).ToArray();
        Factory.Clock.Advance(TimeSpan.FromSeconds(30));

        // Enabling ended this session's access token (a new stamp); its refresh goes on, password-only.
        var refreshed = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        return (secret, recoveryCodes, await ReadObjectAsync(refreshed));
    }

    /// <summary>The wrong second factors this account's checks evaluated: each writes one <c>mfa.failed</c> audit row.</summary>
    private Task<long> EvaluatedWrongFactorsAsync(string email) =>
        Fixture.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.user_id WHERE a.type = 'mfa.failed' AND u.email = @email", ("@email", email));

    private static string WrongRecoveryCode(int i)
    {
        var letters = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = Enumerable.Range(0, 12).Select(j => letters[(i * 7 + j * 13) % letters.Length]).ToArray();
        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
    }

    private async Task<string> MfaTokenAsync(string email) =>
        Str(await ReadObjectAsync(await Client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })), "mfa_token");
}

/// <summary>The app behind one trusted proxy, with a small account-wide budget to reach in a test, and counters of its work.</summary>
public abstract class BurstFixture(DatabaseKind kind) : ApiFixture(kind)
{
    public const string Proxy = "192.0.2.20";
    public const int Limit = 10;
    public const int AccountLimit = 25;

    /// <summary>The real hasher's verifications and the statements sent to the real database.</summary>
    public WorkCounters Work { get; } = new();

    protected override AuthApiFactory CreateFactory(TestDatabase database) => new(database, new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
        ["Lockout:AccountMaxFailedAttempts"] = AccountLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, Work.AddTo);
}

public sealed class BurstOnSqliteFixture() : BurstFixture(DatabaseKind.Sqlite);

public sealed class BurstOnPostgresFixture() : BurstFixture(DatabaseKind.Postgres);

public sealed class AttemptBurstTestsOnSqlite(BurstOnSqliteFixture fixture) : AttemptBurstTests<BurstOnSqliteFixture>(fixture);

public sealed class AttemptBurstTestsOnPostgres(BurstOnPostgresFixture fixture) : AttemptBurstTests<BurstOnPostgresFixture>(fixture);
