using AuthPlatform.Application.TwoFactor;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

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
        Sessions = new SessionIssuer(Families, Secrets, AccessTokens, ScopeCatalog, Client, Options.Create(Jwt), Clock);
        SecondFactor = new SecondFactorVerifier(Totp, Protector, SecondFactorStore, Hasher, Audit, Options.Create(Lockout), Clock);
        StepUp = new StepUp(SecondFactor, Client, Clock);
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
