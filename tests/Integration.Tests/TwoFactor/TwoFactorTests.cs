using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Web;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Integration.Tests.TwoFactor;

/// <summary>
/// SPEC section 7 end to end, as an authenticator app would do it: the secret is read from the
/// QR code with an independent decoder and codes are computed with an independent RFC 6238.
/// </summary>
public abstract class TwoFactorTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string TwoFa = "/api/v1/auth/2fa";

    private string CodeNow(string secret, int stepOffset = 0) => IndependentTotp.Code(secret, Factory.Clock.GetUtcNow(), stepOffset);

    /// <summary>Moves the clock to the next 30-second step, so a new code exists.</summary>
    private void NextStep() => Factory.Clock.Advance(TimeSpan.FromSeconds(30));

    private record Enrolled(string Email, JsonObject Session, string Secret, IReadOnlyList<string> RecoveryCodes);

    /// <summary>
    /// Enrols a new user. Turning 2FA on rotates the security stamp, which ends every access token
    /// of the account, so the session of the enrolment is refreshed: <see cref="Enrolled.Session"/>
    /// holds its new token pair (a session started before enrolment: <c>amr</c> is <c>pwd</c> only).
    /// </summary>
    private async Task<Enrolled> EnrolAsync()
    {
        var (email, session) = await NewSessionAsync();
        var setup = await ReadObjectAsync(await PostJsonAsync($"{TwoFa}/setup", new { current_password = Password }, Str(session, "token")));
        var secret = Str(setup, "secret");
        var enable = await PostJsonAsync($"{TwoFa}/enable", new { code = CodeNow(secret), current_password = Password }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var codes = (await ReadObjectAsync(enable))["recovery_codes"]!.AsArray().Select(c => (string)c!).ToList();
        NextStep();
        return new Enrolled(email, await RefreshAsync(session), secret, codes);
    }

    private async Task<JsonObject> RefreshAsync(JsonObject session)
    {
        var refreshed = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        return await ReadObjectAsync(refreshed);
    }

    private Task<HttpResponseMessage> SetupAsync(string token, string password = Password) =>
        PostJsonAsync($"{TwoFa}/setup", new { current_password = password }, token);

    private async Task<JsonObject> PasswordStepAsync(string email)
    {
        var response = await PostJsonAsync("/api/v1/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    [Fact]
    public async Task Setup_AnswersSecretUriAndQrCodeThatDecodesToTheUri()
    {
        var (email, session) = await NewSessionAsync();

        var response = await SetupAsync(Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setup = await ReadObjectAsync(response);
        var secret = Str(setup, "secret");
        Assert.Equal(20, IndependentTotp.Base32Decode(secret).Length); // 160 bits
        var uri = new Uri(Str(setup, "otpauth_uri"));
        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal($"AuthPlatform:{email}", Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal(secret, query["secret"]);
        Assert.Equal("AuthPlatform", query["issuer"]);
        Assert.Equal("SHA1", query["algorithm"]);
        Assert.Equal("6", query["digits"]);
        Assert.Equal("30", query["period"]);

        var dataUri = Str(setup, "qr_code");
        Assert.StartsWith("data:image/png;base64,", dataUri);
        var png = Convert.FromBase64String(dataUri["data:image/png;base64,".Length..]);
        Assert.Equal(Str(setup, "otpauth_uri"), QrDecoder.Decode(png));

        var image = await GetAsync($"{TwoFa}/qr.png", Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Str(setup, "otpauth_uri"), QrDecoder.Decode(await image.Content.ReadAsByteArrayAsync()));

        var status = await ReadObjectAsync(await GetAsync(TwoFa, Str(session, "token")));
        Assert.False((bool)status["enabled"]!); // not on before a code proves the app has the secret (MFA-04)
    }

    [Fact]
    public async Task Enable_WithWrongCode_Returns401AndStaysOff()
    {
        var (_, session) = await NewSessionAsync();
        var setup = await ReadObjectAsync(await SetupAsync(Str(session, "token")));
        var wrong = CodeNow(Str(setup, "secret")) == "000000" ? "111111" : "000000";

        var response = await PostJsonAsync($"{TwoFa}/enable", new { code = wrong, current_password = Password }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_mfa_code");
        var status = await ReadObjectAsync(await GetAsync(TwoFa, Str(session, "token")));
        Assert.False((bool)status["enabled"]!);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'mfa.failed'"));
    }

    [Fact]
    public async Task Enable_WithCode_TurnsOnAndAnswersTenRecoveryCodes()
    {
        var enrolled = await EnrolAsync();

        Assert.Equal(10, enrolled.RecoveryCodes.Count);
        Assert.Equal(10, enrolled.RecoveryCodes.Distinct().Count());
        Assert.All(enrolled.RecoveryCodes, c => Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", c));
        var status = await ReadObjectAsync(await GetAsync(TwoFa, Str(enrolled.Session, "token")));
        Assert.True((bool)status["enabled"]!);
        Assert.Equal(10, (int)status["recovery_codes_left"]!);
        var me = await ReadObjectAsync(await GetAsync("/api/v1/auth/me", Str(enrolled.Session, "token")));
        Assert.True((bool)me["two_factor_enabled"]!);
        // The secret is never shown again (MFA-04).
        await AssertProblemAsync(await GetAsync($"{TwoFa}/qr.png", Str(enrolled.Session, "token")), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await SetupAsync(Str(enrolled.Session, "token")), HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Login_WithTwoFactorOn_YieldsOnlyAChallengeThenASessionWithOtp()
    {
        var enrolled = await EnrolAsync();

        var challenge = await PasswordStepAsync(enrolled.Email);

        Assert.True((bool)challenge["mfa_required"]!);
        Assert.Equal(300, (int)challenge["expires_in"]!);
        // MFA-05: no usable token from the password step; the challenge is SPEC's three fields and nothing of a session.
        Assert.Equal(["expires_in", "mfa_required", "mfa_token"], challenge.Select(p => p.Key).Order(StringComparer.Ordinal));
        var mfaToken = Str(challenge, "mfa_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/me", mfaToken), HttpStatusCode.Unauthorized, "invalid_token");

        var response = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = CodeNow(enrolled.Secret) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await ReadObjectAsync(response);
        var jwt = new JsonWebToken(Str(session, "token"));
        var amr = jwt.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ToList();
        Assert.Contains("pwd", amr);
        Assert.Contains("otp", amr);
        Assert.True(jwt.TryGetPayloadValue<long>("auth_time", out var authTime));
        Assert.InRange(authTime, Factory.Clock.GetUtcNow().ToUnixTimeSeconds() - 5, Factory.Clock.GetUtcNow().ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/me", Str(session, "token"))).StatusCode);
    }

    [Fact]
    public async Task LoginSecondFactor_ReplayedCode_IsRefused()
    {
        var enrolled = await EnrolAsync();
        var code = CodeNow(enrolled.Secret);
        var first = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var replay = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code });

        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "invalid_mfa_code");
    }

    [Fact]
    public async Task LoginSecondFactor_SameCodeInParallel_SucceedsExactlyOnce()
    {
        var enrolled = await EnrolAsync();
        var code = CodeNow(enrolled.Secret);
        var tokens = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            tokens.Add(Str(await PasswordStepAsync(enrolled.Email), "mfa_token"));
        }

        var responses = await Task.WhenAll(tokens.Select(t => Task.Run(() => PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = t, code }))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    [Fact]
    public async Task LoginSecondFactor_OneStepOfDriftAccepted_TwoStepsRefused()
    {
        var enrolled = await EnrolAsync();
        NextStep();
        NextStep();

        var twoStepsOld = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code = CodeNow(enrolled.Secret, -2) });
        var oneStepOld = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code = CodeNow(enrolled.Secret, -1) });
        NextStep();
        NextStep();
        var oneStepAhead = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code = CodeNow(enrolled.Secret, 1) });

        await AssertProblemAsync(twoStepsOld, HttpStatusCode.Unauthorized, "invalid_mfa_code");
        Assert.Equal(HttpStatusCode.OK, oneStepOld.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oneStepAhead.StatusCode);
    }

    [Fact]
    public async Task LoginSecondFactor_WithRecoveryCode_WorksOnce()
    {
        var enrolled = await EnrolAsync();
        var recovery = enrolled.RecoveryCodes[3];

        var first = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), recovery_code = recovery.ToUpperInvariant() });
        var second = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), recovery_code = recovery });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.Unauthorized, "invalid_mfa_code");
        var status = await ReadObjectAsync(await GetAsync(TwoFa, Str(await ReadObjectAsync(first), "token")));
        Assert.Equal(9, (int)status["recovery_codes_left"]!);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'mfa.recovery_code_used'"));
    }

    [Fact]
    public async Task LoginSecondFactor_ExpiredOrForgedMfaToken_IsRefused()
    {
        var enrolled = await EnrolAsync();
        var challenge = await PasswordStepAsync(enrolled.Email);
        Factory.Clock.Advance(TimeSpan.FromMinutes(6));

        var expired = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(challenge, "mfa_token"), code = CodeNow(enrolled.Secret) });
        var accessTokenAsMfa = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str((await NewSessionAsync()).Session, "token"), code = CodeNow(enrolled.Secret) });

        await AssertProblemAsync(expired, HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(accessTokenAsMfa, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task WrongCodes_CountTowardsLockout()
    {
        var enrolled = await EnrolAsync();
        var mfaToken = Str(await PasswordStepAsync(enrolled.Email), "mfa_token");
        var wrong = CodeNow(enrolled.Secret) == "123456" ? "654321" : "123456";

        HttpResponseMessage last = null!;
        for (var i = 0; i < 10; i++)
        {
            last = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = wrong });
        }

        Assert.Equal(HttpStatusCode.Unauthorized, last.StatusCode);
        var locked = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = CodeNow(enrolled.Secret) });
        await AssertProblemAsync(locked, (HttpStatusCode)423, "account_locked");
        Assert.Equal(10L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'mfa.failed'"));
    }

    [Fact]
    public async Task WrongCodes_AddUpToALockoutAcrossPasswordSteps()
    {
        // Knowing the password must not reset the count of wrong codes.
        var enrolled = await EnrolAsync();
        var wrong = CodeNow(enrolled.Secret) == "123456" ? "654321" : "123456";

        for (var round = 0; round < 3; round++)
        {
            var mfaToken = Str(await PasswordStepAsync(enrolled.Email), "mfa_token");
            for (var i = 0; i < 4 && round * 4 + i < 10; i++)
            {
                await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = wrong });
            }
        }

        var afterLock = await PostJsonAsync("/api/v1/auth/login", new { email = enrolled.Email, password = Password });
        await AssertProblemAsync(afterLock, (HttpStatusCode)423, "account_locked");
    }

    [Fact]
    public async Task StepUp_WhenLocked_RefusesEvenARightCode()
    {
        var enrolled = await EnrolAsync();
        var token = Str(enrolled.Session, "token");
        for (var i = 0; i < 10; i++)
        {
            await PostJsonAsync("/api/v1/auth/login", new { email = enrolled.Email, password = "not the password at all" });
        }

        var response = await SendWithCodeAsync(token, CodeNow(enrolled.Secret), new { name = "locked", permissions = new[] { "profile" } });

        await AssertProblemAsync(response, (HttpStatusCode)423, "account_locked");
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task ManagementCalls_WhenLocked_RefuseEvenARightCode()
    {
        var enrolled = await EnrolAsync();
        var token = Str(enrolled.Session, "token");
        for (var i = 0; i < 10; i++)
        {
            await PostJsonAsync("/api/v1/auth/login", new { email = enrolled.Email, password = "not the password at all" });
        }

        var disable = await PostJsonAsync($"{TwoFa}/disable", new { code = CodeNow(enrolled.Secret) }, token);
        var regenerate = await PostJsonAsync($"{TwoFa}/recovery-codes", new { code = CodeNow(enrolled.Secret) }, token);

        await AssertProblemAsync(disable, (HttpStatusCode)423, "account_locked");
        await AssertProblemAsync(regenerate, (HttpStatusCode)423, "account_locked");
        var status = await ReadObjectAsync(await GetAsync(TwoFa, token));
        Assert.True((bool)status["enabled"]!);
    }

    [Fact]
    public async Task SecretsInAnswers_AreMarkedNoStore()
    {
        var (_, session) = await NewSessionAsync();
        var setup = await SetupAsync(Str(session, "token"));
        var secret = Str(await ReadObjectAsync(setup), "secret");
        var qr = await GetAsync($"{TwoFa}/qr.png", Str(session, "token"));
        var enable = await PostJsonAsync($"{TwoFa}/enable", new { code = CodeNow(secret), current_password = Password }, Str(session, "token"));

        foreach (var response in new[] { setup, qr, enable })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri} lacks Cache-Control: no-store");
        }
    }

    [Fact]
    public async Task StepUp_SessionFromBeforeEnrolment_NeedsACode()
    {
        var enrolled = await EnrolAsync();
        var token = Str(enrolled.Session, "token"); // amr: pwd only
        var body = new { name = "deploy", permissions = new[] { "profile" } };

        var without = await PostJsonAsync("/api/v1/auth/api-keys", body, token);
        await AssertProblemAsync(without, HttpStatusCode.Forbidden, "mfa_required");

        var wrongCode = await SendWithCodeAsync(token, CodeNow(enrolled.Secret) == "000000" ? "111111" : "000000", body);
        await AssertProblemAsync(wrongCode, HttpStatusCode.Unauthorized, "invalid_mfa_code");

        var withCode = await SendWithCodeAsync(token, CodeNow(enrolled.Secret), body);
        Assert.Equal(HttpStatusCode.Created, withCode.StatusCode);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
        var password = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "another long passphrase" }, token);
        await AssertProblemAsync(password, HttpStatusCode.Forbidden, "mfa_required");
    }

    [Fact]
    public async Task StepUp_FreshSecondFactorSession_PassesForTenMinutesOnly()
    {
        var enrolled = await EnrolAsync();
        var session = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code = CodeNow(enrolled.Secret) }));
        var token = Str(session, "token");

        var fresh = await PostJsonAsync("/api/v1/auth/api-keys", new { name = "fresh", permissions = new[] { "profile" } }, token);
        Factory.Clock.Advance(TimeSpan.FromMinutes(11));
        var stale = await PostJsonAsync("/api/v1/auth/api-keys", new { name = "stale", permissions = new[] { "profile" } }, token);

        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        await AssertProblemAsync(stale, HttpStatusCode.Forbidden, "mfa_required");
        var key = await ReadObjectAsync(fresh);
        var rotate = await PostJsonAsync($"/api/v1/auth/api-keys/{Str(key, "id")}/rotate", new { }, token);
        await AssertProblemAsync(rotate, HttpStatusCode.Forbidden, "mfa_required");
    }

    [Fact]
    public async Task Disable_NeedsAFactorAndThenLoginIsPasswordOnly()
    {
        var enrolled = await EnrolAsync();
        var token = Str(enrolled.Session, "token");

        var noFactor = await PostJsonAsync($"{TwoFa}/disable", new { }, token);
        await AssertProblemAsync(noFactor, HttpStatusCode.BadRequest, "validation_failed");
        var wrong = await PostJsonAsync($"{TwoFa}/disable", new { recovery_code = "aaaa-bbbb-cccc" }, token);
        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_mfa_code");

        var disable = await PostJsonAsync($"{TwoFa}/disable", new { recovery_code = enrolled.RecoveryCodes[0] }, token);

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        var login = await PasswordStepAsync(enrolled.Email);
        Assert.NotNull(login["token"]);
        Assert.False((bool)login["mfa_required"]!); // the session answer of login says so too (docs/api.md)
        Assert.Null(login["mfa_token"]);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'mfa.disabled'"));
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM recovery_codes"));
    }

    [Fact]
    public async Task RecoveryCodes_Regenerated_OldOnesStopWorking()
    {
        var enrolled = await EnrolAsync();

        var response = await PostJsonAsync($"{TwoFa}/recovery-codes", new { code = CodeNow(enrolled.Secret) }, Str(enrolled.Session, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fresh = (await ReadObjectAsync(response))["recovery_codes"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(enrolled.RecoveryCodes));
        var old = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), recovery_code = enrolled.RecoveryCodes[1] });
        await AssertProblemAsync(old, HttpStatusCode.Unauthorized, "invalid_mfa_code");
        var newer = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), recovery_code = fresh[1] });
        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'mfa.recovery_codes_regenerated'"));
    }

    [Theory]
    [InlineData("""{"code":"12345","current_password":"correct horse battery staple"}""")]
    [InlineData("""{"code":"abcdef","current_password":"correct horse battery staple"}""")]
    [InlineData("""{"code":null,"current_password":"correct horse battery staple"}""")]
    [InlineData("""{"current_password":"correct horse battery staple"}""")]
    public async Task Enable_WithMalformedCode_Returns400(string body)
    {
        var (_, session) = await NewSessionAsync();
        await SetupAsync(Str(session, "token"));

        var response = await PostRawAsync($"{TwoFa}/enable", body, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Secrets_NeverInClearInDatabaseOrLogs()
    {
        var enrolled = await EnrolAsync();
        await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), recovery_code = enrolled.RecoveryCodes[0] });

        var database = await Factory.Database.DumpAllTextAsync() + await DumpRecoveryCodesAsync();
        var logs = Factory.Logs.AllText;
        Assert.DoesNotContain(enrolled.Secret, database, StringComparison.Ordinal);
        Assert.DoesNotContain(enrolled.Secret, logs, StringComparison.Ordinal);
        foreach (var code in enrolled.RecoveryCodes)
        {
            Assert.DoesNotContain(code.Replace("-", "")[4..], database, StringComparison.Ordinal);
            Assert.DoesNotContain(code, logs, StringComparison.Ordinal);
        }

        Assert.Contains("mfa.enabled", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WithoutOrWithAWrongPassword_IsRefusedAndTheWrongOneCounts()
    {
        var (_, session) = await NewSessionAsync();
        var token = Str(session, "token");

        var missing = await PostJsonAsync($"{TwoFa}/setup", new { }, token);
        var wrong = await SetupAsync(token, "not my password at all");

        var problem = await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]?["current_password"]);
        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        await AssertProblemAsync(await GetAsync($"{TwoFa}/qr.png", token), HttpStatusCode.NotFound, "not_found"); // nothing pending
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'login.failed' AND details LIKE '%wrong_current_password%'"));
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT failures FROM attempt_counters WHERE scope = '*'"));
    }

    [Fact]
    public async Task Enable_WithAWrongPassword_Returns401AndLeavesTheCodeUnclaimed()
    {
        var (_, session) = await NewSessionAsync();
        var secret = Str(await ReadObjectAsync(await SetupAsync(Str(session, "token"))), "secret");
        var code = CodeNow(secret);

        var wrong = await PostJsonAsync($"{TwoFa}/enable", new { code, current_password = "not my password at all" }, Str(session, "token"));

        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.False((bool)(await ReadObjectAsync(await GetAsync(TwoFa, Str(session, "token"))))["enabled"]!);
        var right = await PostJsonAsync($"{TwoFa}/enable", new { code, current_password = Password }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Enable_EndsOtherSessionsAndEveryAccessToken_ThisSessionRefreshes()
    {
        var (email, session) = await NewSessionAsync();
        var other = await LoginAsync(email);
        var secret = Str(await ReadObjectAsync(await SetupAsync(Str(session, "token"))), "secret");

        var enable = await PostJsonAsync($"{TwoFa}/enable", new { code = CodeNow(secret), current_password = Password }, Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(other, "refresh_token") }), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(other, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        var refreshed = await RefreshAsync(session);
        Assert.True((bool)(await ReadObjectAsync(await GetAsync(TwoFa, Str(refreshed, "token"))))["enabled"]!);
    }

    [Fact]
    public async Task Disable_EndsOtherSessionsAndEveryAccessToken_ThisSessionRefreshes()
    {
        var enrolled = await EnrolAsync();
        var other = await ReadObjectAsync(await PostJsonAsync(
            "/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code = CodeNow(enrolled.Secret) }));
        NextStep();

        var disable = await PostJsonAsync($"{TwoFa}/disable", new { code = CodeNow(enrolled.Secret) }, Str(enrolled.Session, "token"));

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(other, "refresh_token") }), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(enrolled.Session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await RefreshAsync(enrolled.Session);
    }

    [Fact]
    public async Task LoginSecondFactor_MfaTokenReplayedWithAnotherFactor_IsRefused()
    {
        var enrolled = await EnrolAsync();
        var mfaToken = Str(await PasswordStepAsync(enrolled.Email), "mfa_token");
        var first = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, code = CodeNow(enrolled.Secret) });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var replay = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = mfaToken, recovery_code = enrolled.RecoveryCodes[0] });

        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "invalid_token");
        // The session of the enrolment, and the one the token started.
        Assert.Equal(2L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_token_families WHERE revoked_at IS NULL"));
    }

    [Fact]
    public async Task LoginSecondFactor_OneMfaTokenTwentyTimesInParallel_StartsExactlyOneSession()
    {
        var enrolled = await EnrolAsync();
        var mfaToken = Str(await PasswordStepAsync(enrolled.Email), "mfa_token");
        var code = CodeNow(enrolled.Secret);
        var bodies = enrolled.RecoveryCodes.Select(recovery => (object)new { mfa_token = mfaToken, recovery_code = recovery })
            .Concat(Enumerable.Range(0, 10).Select(_ => (object)new { mfa_token = mfaToken, code }))
            .ToList();

        var responses = await Task.WhenAll(bodies.Select(body => Task.Run(() => PostJsonAsync("/api/v1/auth/login/2fa", body))));

        Assert.Equal(20, responses.Length);
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        // The others: refused as spent or wrong (401), or not evaluated past the attempt budget (423, ADR 0012).
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, (HttpStatusCode)423 }));
        // The session of the enrolment, and exactly one more.
        Assert.Equal(2L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_token_families WHERE revoked_at IS NULL"));
    }

    [Fact]
    public async Task LoginSecondFactor_MfaTokenFromBeforeAPasswordChange_IsRefused()
    {
        var enrolled = await EnrolAsync();
        var session = await ReadObjectAsync(await PostJsonAsync(
            "/api/v1/auth/login/2fa", new { mfa_token = Str(await PasswordStepAsync(enrolled.Email), "mfa_token"), code = CodeNow(enrolled.Secret) }));
        var pending = Str(await PasswordStepAsync(enrolled.Email), "mfa_token");
        var change = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "a brand new passphrase" }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        NextStep();

        var response = await PostJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = pending, code = CodeNow(enrolled.Secret) });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    private async Task<string> DumpRecoveryCodesAsync()
    {
        var hashes = new List<string>();
        await using var connection = Factory.Database.Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT locator, code_hash FROM recovery_codes";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            hashes.Add(reader.GetString(0) + " " + reader.GetString(1));
        }

        Assert.Equal(10, hashes.Count);
        return string.Join('\n', hashes);
    }

    private async Task<HttpResponseMessage> SendWithCodeAsync(string token, string code, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys") { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-2FA-Code", code);
        return await Client.SendAsync(request);
    }
}

public sealed class TwoFactorTestsOnSqlite(SqliteApiFixture fixture) : TwoFactorTests<SqliteApiFixture>(fixture);

public sealed class TwoFactorTestsOnPostgres(PostgresApiFixture fixture) : TwoFactorTests<PostgresApiFixture>(fixture);
