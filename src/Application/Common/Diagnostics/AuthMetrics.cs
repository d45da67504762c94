using System.Diagnostics.Metrics;

namespace AuthPlatform.Application.Common.Diagnostics;

/// <summary>
/// The security counters of the meter <see cref="MeterName"/> (exported at the Prometheus scrape
/// endpoint and by OTLP, docs/operations.md). Every tag value is one of a few fixed words chosen
/// here, never a user id, an e-mail or anything a client sent: a value outside the known set is
/// counted as <see cref="Other"/>. Counting costs a flag check when nothing listens to the meter.
/// </summary>
public sealed class AuthMetrics
{
    public const string MeterName = "AuthPlatform";

    /// <summary>The tag value of a reason or step this class does not know.</summary>
    public const string Other = "other";

    private readonly Counter<long> _loginsSucceeded;
    private readonly Counter<long> _loginsFailed;
    private readonly Counter<long> _secondFactorFailures;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _refreshReuse;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _apiKeyCache;
    private readonly Counter<long> _accountChanges;
    private readonly Counter<long> _sessionsRevoked;
    private readonly Counter<long> _signedOutEverywhere;
    private readonly Counter<long> _clientAuthenticationFailures;

    /// <summary>Meters come from the host's factory, so each host (and each test server) has its own.</summary>
    public AuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _loginsSucceeded = meter.CreateCounter<long>(
            "authplatform.logins.succeeded", "{login}", "Completed sign-ins, by second factor (none, otp, recovery_code).");
        _loginsFailed = meter.CreateCounter<long>(
            "authplatform.logins.failed", "{login}", "Refused sign-in steps (and wrong current passwords), by reason.");
        _secondFactorFailures = meter.CreateCounter<long>(
            "authplatform.second_factor.failures", "{attempt}", "Wrong second-factor codes, by the step that asked for one.");
        _lockouts = meter.CreateCounter<long>("authplatform.lockouts", "{lockout}", "Accounts locked after too many failures.");
        _tokensIssued = meter.CreateCounter<long>("authplatform.tokens.issued", "{token}", "Tokens issued, by kind (access, refresh, mfa, client_access).");
        _refreshReuse = meter.CreateCounter<long>(
            "authplatform.refresh_tokens.reuse_detected", "{detection}", "Redeemed refresh tokens presented again (the session is revoked).");
        _throttled = meter.CreateCounter<long>("authplatform.requests.throttled", "{request}", "Requests refused by the rate limiter, by policy.");
        _apiKeyCache = meter.CreateCounter<long>(
            "authplatform.api_keys.cache.lookups", "{lookup}", "API-key verifications, by whether this instance's memory answered (hit) or the database (miss).");
        _accountChanges = meter.CreateCounter<long>(
            "authplatform.accounts.admin_changes", "{change}", "Administrators' changes to accounts, by change (disabled, enabled, unlocked, role_changed).");
        _sessionsRevoked = meter.CreateCounter<long>(
            "authplatform.sessions.revoked", "{session}", "Single sessions ended before their expiry, by reason (logout, revoked_by_user).");
        _signedOutEverywhere = meter.CreateCounter<long>(
            "authplatform.sessions.signed_out_everywhere", "{sign_out}", "'Sign out everywhere' calls: every session and access token of an account ended.");
        _clientAuthenticationFailures = meter.CreateCounter<long>(
            "authplatform.oauth.client_authentication.failures", "{attempt}", "Failed client authentications at the token endpoint, by reason.");
    }

    public void ClientAuthenticationFailed(string reason) =>
        _clientAuthenticationFailures.Add(1, new KeyValuePair<string, object?>("reason", Bounded(reason, ClientAuthenticationFailureReasons)));

    public void LoginSucceeded(string secondFactor) => _loginsSucceeded.Add(1, new KeyValuePair<string, object?>("second_factor", secondFactor));

    public void LoginFailed(string reason) => _loginsFailed.Add(1, new KeyValuePair<string, object?>("reason", Bounded(reason, LoginFailureReasons)));

    public void SecondFactorFailed(string step) =>
        _secondFactorFailures.Add(1, new KeyValuePair<string, object?>("step", Bounded(step, SecondFactorSteps)));

    public void AccountLocked() => _lockouts.Add(1);

    public void TokenIssued(string kind) => _tokensIssued.Add(1, new KeyValuePair<string, object?>("kind", Bounded(kind, TokenKinds.All)));

    public void RefreshTokenReuseDetected() => _refreshReuse.Add(1);

    /// <summary><paramref name="policy"/> is a rate-limiting policy name from the code, not from the request.</summary>
    public void Throttled(string policy) => _throttled.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void ApiKeyCacheLookup(bool hit) =>
        _apiKeyCache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    /// <summary>An administrator's change to an account: one of <see cref="AccountChanges"/>.</summary>
    public void AccountChangedByAdministrator(string change) =>
        _accountChanges.Add(1, new KeyValuePair<string, object?>("change", Bounded(change, AccountChanges.All)));

    /// <summary>One session ended before its expiry; <paramref name="reason"/> is one of <c>RevocationReasons</c>.</summary>
    public void SessionRevoked(string reason) =>
        _sessionsRevoked.Add(1, new KeyValuePair<string, object?>("reason", Bounded(reason, RevocationReasons)));

    public void SignedOutEverywhere() => _signedOutEverywhere.Add(1);

    private static readonly string[] RevocationReasons =
    [
        Domain.Sessions.RevocationReasons.Logout, Domain.Sessions.RevocationReasons.RevokedByUser, Domain.Sessions.RevocationReasons.Reuse,
        Domain.Sessions.RevocationReasons.PasswordChanged, Domain.Sessions.RevocationReasons.TwoFactorChanged,
        Domain.Sessions.RevocationReasons.SignedOutEverywhere, Domain.Sessions.RevocationReasons.AccountDisabled,
    ];

    private static readonly string[] LoginFailureReasons =
    [
        Domain.Users.FailureReasons.UnknownAccount, Domain.Users.FailureReasons.WrongPassword,
        Domain.Users.FailureReasons.WrongCurrentPassword, Domain.Users.FailureReasons.Locked, Domain.Users.FailureReasons.Disabled,
    ];

    /// <summary>The steps that check a second factor (the reason of <c>SecondFactorFailed</c>).</summary>
    private static readonly string[] SecondFactorSteps = ["login", "enable", "disable", "recovery_codes", "step_up"];

    private static readonly string[] ClientAuthenticationFailureReasons =
    [
        Domain.OAuth.ClientAuthenticationFailures.UnknownClient, Domain.OAuth.ClientAuthenticationFailures.WrongSecret,
        Domain.OAuth.ClientAuthenticationFailures.ExpiredSecret, Domain.OAuth.ClientAuthenticationFailures.NoSecret,
        Domain.OAuth.ClientAuthenticationFailures.Malformed, Domain.OAuth.ClientAuthenticationFailures.Disabled,
    ];

    private static string Bounded(string value, string[] known) => Array.IndexOf(known, value) >= 0 ? value : Other;

    /// <summary>The values of the <c>change</c> tag of <c>authplatform.accounts.admin_changes</c>.</summary>
    public static class AccountChanges
    {
        public const string Disabled = "disabled";
        public const string Enabled = "enabled";
        public const string Unlocked = "unlocked";
        public const string RoleChanged = "role_changed";

        internal static readonly string[] All = [Disabled, Enabled, Unlocked, RoleChanged];
    }

    /// <summary>The values of the <c>kind</c> tag of <c>authplatform.tokens.issued</c>.</summary>
    public static class TokenKinds
    {
        public const string Access = "access";
        public const string Refresh = "refresh";
        public const string Mfa = "mfa";

        /// <summary>An access token issued to a client for itself (client credentials).</summary>
        public const string ClientAccess = "client_access";

        internal static readonly string[] All = [Access, Refresh, Mfa, ClientAccess];
    }
}
