using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Users;
using AuthPlatform.Application.Audit;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.TwoFactor.Common;

namespace AuthPlatform.Application.UnitTests.TestSupport;

/// <summary>
/// Substitutes for every port the auth handlers use, a fake clock, and a real
/// <see cref="SessionIssuer"/> built over them. Secrets are numbered ("secret-1", "secret-2", ...)
/// and their hash is a readable "sha:" prefix, so a test can tell which token went where.
/// </summary>
internal sealed class Ports
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private int _secrets;

    public Ports()
    {
        Secrets.NewSecret(Arg.Any<int>()).Returns(_ => $"secret-{++_secrets}");
        Secrets.Hash(Arg.Any<string>()).Returns(call => HashOf(call.Arg<string>()));
        AccessTokens.IssueAsync(Arg.Any<AccessTokenRequest>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                var request = call.Arg<AccessTokenRequest>();
                return new IssuedAccessToken($"jwt-{request.SessionId}", Clock.GetUtcNow() + TimeSpan.FromHours(1), 3600);
            });
        ScopeCatalog.OperatorScopes.Returns(["models.read"]);
        Client.IpAddress.Returns("203.0.113.9");
        Client.UserAgent.Returns("unit-test-agent");
        Client.SecondFactorCode.Returns((string?)null); // no X-2FA-Code header (a substitute would answer "")
        Protector.Protect(Arg.Any<string>()).Returns(call => Protected(call.Arg<string>()));
        Protector.Unprotect(Arg.Any<string>()).Returns(call => Unprotected(call.Arg<string>()));
        Sessions = new SessionIssuer(Families, Secrets, AccessTokens, ScopeCatalog, Client, Options.Create(Jwt), Clock);
        // The atomic database update follows the aggregate's own rule; here the rule itself runs.
        Users.RecordFailedLoginAsync(Arg.Any<User>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<User>().RecordFailedLogin(call.Arg<DateTimeOffset>(), call.Arg<LockoutPolicy>()));
        SecondFactor = new SecondFactorVerifier(Totp, Protector, SecondFactorStore, Hasher, Users, Audit, Options.Create(Lockout), Clock);
        StepUp = new StepUp(SecondFactor, Client, Families, Clock);
        AfterCommit.When(a => a.Enqueue(Arg.Any<Func<CancellationToken, Task>>())).Do(call => Enqueued.Add(call.Arg<Func<CancellationToken, Task>>()));
    }

    public ITotp Totp { get; } = Substitute.For<ITotp>();

    public ISecretProtector Protector { get; } = Substitute.For<ISecretProtector>();

    public ISecondFactorStore SecondFactorStore { get; } = Substitute.For<ISecondFactorStore>();

    public IMfaTokens MfaTokens { get; } = Substitute.For<IMfaTokens>();

    public SecondFactorVerifier SecondFactor { get; }

    public StepUp StepUp { get; }

    /// <summary>A caller signed in with a password only (no second factor).</summary>
    public static CallerIdentity PasswordCaller(Guid userId, Guid? sessionId = null) =>
        new(userId.ToString(), userId, AuthMethods.Jwt, ["profile"], SessionId: sessionId, AuthenticationMethods: ["pwd"]);

    public FakeTimeProvider Clock { get; } = new(Start);

    public IUserRepository Users { get; } = Substitute.For<IUserRepository>();

    public IRefreshTokenFamilyRepository Families { get; } = Substitute.For<IRefreshTokenFamilyRepository>();

    public IPasswordHasher Hasher { get; } = Substitute.For<IPasswordHasher>();

    public IAuditLog Audit { get; } = Substitute.For<IAuditLog>();

    public IUnitOfWork UnitOfWork { get; } = Substitute.For<IUnitOfWork>();

    public ISecretGenerator Secrets { get; } = Substitute.For<ISecretGenerator>();

    public IAccessTokenIssuer AccessTokens { get; } = Substitute.For<IAccessTokenIssuer>();

    public IScopeCatalog ScopeCatalog { get; } = Substitute.For<IScopeCatalog>();

    public IClientContext Client { get; } = Substitute.For<IClientContext>();

    public JwtOptions Jwt { get; } = new();

    public LockoutOptions Lockout { get; } = new();

    public SessionIssuer Sessions { get; }

    public static string HashOf(string secret) => $"sha:{secret}";

    // ---- API keys ----

    public IApiKeyRepository ApiKeys { get; } = Substitute.For<IApiKeyRepository>();

    public IApiKeyGenerator ApiKeyGenerator { get; } = Substitute.For<IApiKeyGenerator>();

    public IApiKeyCache ApiKeyCache { get; } = Substitute.For<IApiKeyCache>();

    public IAfterCommit AfterCommit { get; } = Substitute.For<IAfterCommit>();

    /// <summary>What <see cref="IAfterCommit.Enqueue"/> received, in order, not yet run (the unit of work runs them after commit).</summary>
    public List<Func<CancellationToken, Task>> Enqueued { get; } = [];

    /// <summary>Runs what was enqueued, as the unit of work does once the transaction commits.</summary>
    public async Task CommitAsync()
    {
        foreach (var action in Enqueued)
        {
            await action(CancellationToken.None);
        }
    }

    /// <summary>A key of <paramref name="ownerId"/> that the repository finds by id.</summary>
    public Domain.ApiKeys.ApiKey StoredKey(Guid ownerId, IReadOnlyCollection<string>? permissions = null, DateTimeOffset? expiresAt = null, string hash = "sha:stored-key")
    {
        var key = Domain.ApiKeys.ApiKey.Issue(
            Guid.NewGuid(), ownerId, "stored key", "ap_Stored00", hash, permissions ?? ["profile", "models.read"], expiresAt, Clock.GetUtcNow());
        ApiKeys.FindByIdAsync(key.Id, Arg.Any<CancellationToken>()).Returns(key);
        return key;
    }

    public IReadOnlyList<Domain.ApiKeys.ApiKey> AddedKeys() =>
        ApiKeys.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IApiKeyRepository.Add))
            .Select(c => (Domain.ApiKeys.ApiKey)c.GetArguments()[0]!).ToList();

    // ---- Two-factor ----

    /// <summary>The base32 TOTP secret every 2FA user of these tests enrolled with (what the protector gives back).</summary>
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    /// <summary>The RFC 6238 time step of <see cref="Start"/>.</summary>
    public static readonly long StartStep = Start.ToUnixTimeSeconds() / 30;

    public static string Protected(string secret) => $"enc:{secret}";

    public static string Unprotected(string protectedSecret) =>
        protectedSecret.StartsWith("enc:", StringComparison.Ordinal) ? protectedSecret["enc:".Length..] : throw new InvalidOperationException("not protected by the fake");

    /// <summary>
    /// A user with 2FA on, <see cref="TotpSecret"/> enrolled, <paramref name="lastStep"/> already used and the
    /// <see cref="DefaultRecoveryCodes"/>; the hasher accepts a secret against its <see cref="SlowHashOf"/>.
    /// </summary>
    public User TwoFactorUser(long? lastStep = null)
    {
        var user = NewUser();
        user.BeginTwoFactorSetup(Protected(TotpSecret));
        user.EnableTwoFactor(
            lastStep ?? StartStep - 10,
            DefaultRecoveryCodes.Select(c => RecoveryCode.Create(Guid.NewGuid(), user.Id, c.Locator, SlowHashOf(c.Secret), Clock.GetUtcNow())).ToList(),
            Clock.GetUtcNow());
        Users.FindByIdWithRecoveryCodesAsync(user.Id, Arg.Any<CancellationToken>()).Returns(user);
        Hasher.Verify(Arg.Any<string>(), Arg.Any<string>())
            .Returns(call => call.ArgAt<string>(0) == SlowHashOf(call.ArgAt<string>(1)) ? PasswordCheck.Success : PasswordCheck.Failed);
        return user;
    }

    /// <summary>Ten recovery codes <c>cd2a-…</c> … <c>cd2k-…</c>; the secret of each is 8 characters of the recovery alphabet.</summary>
    public static readonly (string Locator, string Secret)[] DefaultRecoveryCodes =
        Enumerable.Range(0, 10).Select(i => ($"cd2{"abcdefghjk"[i]}", $"sec{"abcdefghjk"[i]}2345")).ToArray();

    public static string SlowHashOf(string secret) => $"slow:{secret}";

    /// <summary>Makes <paramref name="code"/> the TOTP code of <paramref name="step"/> for <paramref name="secret"/>; the store accepts new steps.</summary>
    public void TotpCode(string code, long step, string secret = TotpSecret)
    {
        Totp.Match(secret, code, Arg.Any<DateTimeOffset>()).Returns(step);
        SecondFactorStore.TryAdvanceTotpStepAsync(Arg.Any<Guid>(), step, Arg.Any<CancellationToken>()).Returns(true);
    }

    public User NewUser(string email = "alice@example.com", string passwordHash = "stored-hash")
    {
        var user = User.Register(Guid.NewGuid(), email, "Alice", passwordHash, Clock.GetUtcNow());
        Users.FindByEmailAsync(email, Arg.Any<CancellationToken>()).Returns(user);
        Users.FindByIdAsync(user.Id, Arg.Any<CancellationToken>()).Returns(user);
        return user;
    }

    /// <summary>Asserts exactly one audit event of <paramref name="type"/> was recorded, and returns its details.</summary>
    public AuditCall SingleAudit(string type)
    {
        var calls = AuditCalls().Where(c => c.Type == type).ToList();
        Assert.True(calls.Count == 1, $"Expected one '{type}' audit event, found {calls.Count}: [{string.Join(", ", AuditCalls().Select(c => c.Type))}]");
        return calls[0];
    }

    public RefreshTokenFamily SingleAddedFamily() =>
        Assert.Single(Families.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IRefreshTokenFamilyRepository.Add))
            .Select(c => (RefreshTokenFamily)c.GetArguments()[0]!));

    public AccessTokenRequest SingleAccessTokenRequest() =>
        Assert.Single(AccessTokens.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IAccessTokenIssuer.IssueAsync))
            .Select(c => (AccessTokenRequest)c.GetArguments()[0]!));

    public IReadOnlyList<AuditCall> AuditCalls() =>
        Audit.ReceivedCalls()
            .Where(c => c.GetMethodInfo().Name == nameof(IAuditLog.Record))
            .Select(c => c.GetArguments())
            .Select(a => new AuditCall((string)a[0]!, (Guid?)a[1], (string?)a[2], (Guid?)a[3], (string?)a[4]))
            .ToList();
}

internal sealed record AuditCall(string Type, Guid? UserId, string? Details, Guid? ActorId, string? ClientId);
