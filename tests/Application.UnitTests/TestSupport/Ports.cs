using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Audit;
using AuthPlatform.Application.Audit.RecordAuditTrail;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Mapping;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Mapster;
using MapsterMapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TestSupport;

/// <summary>
/// Substitutes for every port the handlers use, a fake clock, and the real shared services
/// (<see cref="SessionIssuer"/>, <see cref="SignInAttempts"/>, <see cref="SecondFactorVerifier"/>,
/// <see cref="StepUp"/>, <see cref="RecoveryCodes"/>, <see cref="CallerAccounts"/>, the compiled
/// Mapster configuration) built over them. Secrets are numbered ("secret-1", "secret-2", ...)
/// and their hash is a readable "sha:" prefix, so a test can tell which token went where.
/// <para>
/// The audit trail is read from the domain events raised: those of the aggregates the fakes
/// hand out or receive, and those raised through <see cref="IDomainEvents"/>, each mapped by
/// <see cref="AuditTrail.Describe"/> as the real audit handler maps it.
/// </para>
/// <para>
/// No fake re-implements a rule that the store enforces with one atomic conditional update
/// (ADR 0009, 0012: attempt budgets and locks, single-use TOTP steps and recovery codes, session
/// revocation): each such call answers what a test configures (by default every attempt is
/// claimed and no failure locks), and the test asserts what the handler does with the answer.
/// Those rules are tested against real databases in Infrastructure.Tests.
/// </para>
/// </summary>
internal sealed class Ports
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The application's own mapping configuration, compiled once as at start-up.</summary>
    public static readonly TypeAdapterConfig Mappings = CompiledMappings();

    private readonly Random _codes = new(20260301);
    private readonly List<AggregateRoot> _tracked = [];
    private readonly List<IDomainEvent> _raisedWithoutAggregate = [];
    private readonly List<IDomainEvent> _events = [];
    private readonly List<ApiKey> _storedKeys = [];
    private int _dispatched;
    private int _secrets;

    public Ports()
    {
        Secrets.NewSecret(Arg.Any<int>()).Returns(_ => $"secret-{++_secrets}");
        Secrets.Hash(Arg.Any<string>()).Returns(call => HashOf(call.Arg<string>()));
        Secrets.NewCode(Arg.Any<string>(), Arg.Any<int>())
            .Returns(call => new string(Enumerable.Range(0, call.ArgAt<int>(1)).Select(_ => call.ArgAt<string>(0)[_codes.Next(call.ArgAt<string>(0).Length)]).ToArray()));
        AccessTokens.IssueAsync(Arg.Any<AccessTokenRequest>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                var request = call.Arg<AccessTokenRequest>();
                return new IssuedAccessToken($"jwt-{request.SessionId}", Clock.GetUtcNow() + TimeSpan.FromHours(1), 3600);
            });
        ScopeCatalog.OperatorScopes.Returns(["models.read"]);
        Client.IpAddress.Returns(ClientIp);
        Client.UserAgent.Returns("unit-test-agent");
        Protector.Protect(Arg.Any<string>()).Returns(call => Protected(call.Arg<string>()));
        Protector.Unprotect(Arg.Any<string>()).Returns(call => Unprotected(call.Arg<string>()));

        // The attempt budgets are the throttle's rule; by default every claim is granted, no
        // failure locks, and no address is one the user signed in from before.
        Throttle.TryClaimAsync(default!, default!, default, default!, default, default).ReturnsForAnyArgs(true);
        Throttle.FailAsync(default!, default!, default, default, default!, default, default).ReturnsForAnyArgs((DateTimeOffset?)null);
        Families.HasSignedInFromAsync(default, default, default).ReturnsForAnyArgs(false);

        Users.When(u => u.Add(Arg.Any<User>())).Do(call => Track(call.Arg<User>()));
        Families.When(f => f.Add(Arg.Any<RefreshTokenFamily>())).Do(call => Track(call.Arg<RefreshTokenFamily>()));
        ApiKeys.When(k => k.Add(Arg.Any<ApiKey>())).Do(call => Track(call.Arg<ApiKey>()));
        ApiKeys.ListCreatedByAsync(Arg.Any<IReadOnlyCollection<Guid>>(), Arg.Any<CancellationToken>())
            .Returns(call => _storedKeys.Where(k => k.CreatedByKeyId is { } creator && call.Arg<IReadOnlyCollection<Guid>>().Contains(creator)).ToList());
        DomainEvents.When(d => d.Raise(Arg.Any<IDomainEvent>())).Do(call => _raisedWithoutAggregate.Add(call.Arg<IDomainEvent>()));
        UnitOfWork.When(u => u.DiscardChanges()).Do(_ => DiscardPendingEvents());
        AfterCommit.When(a => a.Enqueue(Arg.Any<Func<CancellationToken, Task>>())).Do(call => Enqueued.Add(call.Arg<Func<CancellationToken, Task>>()));

        Mapper = new Mapper(Mappings);
        Callers = new CallerAccounts(Users);
        Attempts = new SignInAttempts(Throttle, Families, Client, Secrets, DomainEvents, Options.Create(Lockout), Clock);
        Sessions = new SessionIssuer(Families, Secrets, AccessTokens, ScopeCatalog, Client, Mapper, Options.Create(Jwt), Clock);
        SecondFactor = new SecondFactorVerifier(Totp, Protector, SecondFactorStore, Hasher, Attempts, Clock);
        Liveness = new SessionLiveness(Families, Clock);
        StepUp = new StepUp(SecondFactor, Liveness, Clock);
        PasswordConfirmation = new PasswordConfirmation(Hasher, Attempts);

        // The single use of an mfa_token is the store's rule; by default this presentation spends it.
        SecondFactorStore.TrySpendMfaTokenAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(true);
        RecoveryCodes = new RecoveryCodes(Secrets, Hasher, Clock);
        Lineage = new ApiKeyLineage(ApiKeys, UnitOfWork);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public IUserRepository Users { get; } = Substitute.For<IUserRepository>();

    public IRefreshTokenFamilyRepository Families { get; } = Substitute.For<IRefreshTokenFamilyRepository>();

    public IPasswordHasher Hasher { get; } = Substitute.For<IPasswordHasher>();

    public IDomainEvents DomainEvents { get; } = Substitute.For<IDomainEvents>();

    public IUnitOfWork UnitOfWork { get; } = Substitute.For<IUnitOfWork>();

    public ISecretGenerator Secrets { get; } = Substitute.For<ISecretGenerator>();

    public IAccessTokenIssuer AccessTokens { get; } = Substitute.For<IAccessTokenIssuer>();

    public IScopeCatalog ScopeCatalog { get; } = Substitute.For<IScopeCatalog>();

    public IClientContext Client { get; } = Substitute.For<IClientContext>();

    public JwtOptions Jwt { get; } = new();

    public LockoutOptions Lockout { get; } = new();

    public IMapper Mapper { get; }

    public CallerAccounts Callers { get; }

    public SignInAttempts Attempts { get; }

    public SessionIssuer Sessions { get; }

    public SessionLiveness Liveness { get; }

    public PasswordConfirmation PasswordConfirmation { get; }

    public static string HashOf(string secret) => $"sha:{secret}";

    /// <summary>A caller signed in with a password only (no second factor).</summary>
    public static CallerIdentity PasswordCaller(Guid userId, Guid? sessionId = null) =>
        new(userId.ToString(), userId, AuthMethods.Jwt, ["profile"], SessionId: sessionId, AuthenticationMethods: ["pwd"]);

    // ---- Users ----

    /// <summary>A stored user that the repository finds by email and by id (no pending events, as loaded).</summary>
    public User NewUser(string email = "alice@example.com", string passwordHash = "stored-hash")
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create(email), "Alice", passwordHash, "stamp-0", Clock.GetUtcNow());
        user.DequeueDomainEvents();
        Track(user);
        Users.FindByEmailAsync(email, Arg.Any<CancellationToken>()).Returns(user);
        Users.FindByIdAsync(user.Id, Arg.Any<CancellationToken>()).Returns(user);
        Users.FindByIdWithRecoveryCodesAsync(user.Id, Arg.Any<CancellationToken>()).Returns(user);
        return user;
    }

    // ---- Attempt budgets (ADR 0012) ----

    /// <summary>The client address of every request in these tests (what <see cref="IClientContext.IpAddress"/> answers).</summary>
    public const string ClientIp = "203.0.113.9";

    /// <summary>The throttle's scope for <see cref="ClientIp"/>: an IPv4 address counts as itself.</summary>
    public const string AddressScope = "203.0.113.9";

    public IAttemptThrottle Throttle { get; } = Substitute.For<IAttemptThrottle>();

    /// <summary>The policy the throttle must be given: the one configured in <see cref="Lockout"/>, read when it is used.</summary>
    public LockoutPolicy ConfiguredPolicy => new(Lockout.MaxFailedAttempts, Lockout.Window, Lockout.Duration, Lockout.AccountMaxFailedAttempts);

    /// <summary>The throttle's account key for an e-mail address (the fake hash of its lookup form), whether or not an account has it.</summary>
    public static string AccountKey(string email) => HashOf(EmailAddress.NormalizeForLookup(email));

    /// <summary>The throttle refuses every claim on the (account, <see cref="ClientIp"/>) budget: spent, or locked.</summary>
    public void AddressBudgetRefuses() =>
        Throttle.TryClaimAsync(Arg.Any<string>(), AddressScope, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(false);

    /// <summary>The throttle refuses every claim on the account-wide budget (the address's own budget still has room).</summary>
    public void AccountWideBudgetRefuses() =>
        Throttle.TryClaimAsync(Arg.Any<string>(), IAttemptThrottle.AccountWide, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(false);

    /// <summary><see cref="ClientIp"/> is an address <paramref name="user"/> signed in from before.</summary>
    public void KnownAddress(User user) =>
        Families.HasSignedInFromAsync(user.Id, ClientIp, Arg.Any<CancellationToken>()).Returns(true);

    /// <summary>
    /// From now on the throttle answers that a failure counted on <paramref name="scope"/> (the
    /// address's budget unless told) locked it until <paramref name="lockedUntil"/>. Which
    /// failure locks is the throttle's rule, not this fake's.
    /// </summary>
    public void FailureLocks(DateTimeOffset lockedUntil, string scope = AddressScope) =>
        Throttle.FailAsync(Arg.Any<string>(), scope, Arg.Any<bool>(), Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(lockedUntil);

    /// <summary>
    /// Attempts claimed for <paramref name="email"/>'s account: on the address's budget and the
    /// account-wide one, each with its configured limit and the policy at the clock's time.
    /// </summary>
    public async Task ClaimedAsync(string email, int times = 1)
    {
        await Throttle.Received(times).TryClaimAsync(
            AccountKey(email), AddressScope, Lockout.MaxFailedAttempts, ConfiguredPolicy, Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        await Throttle.Received(times).TryClaimAsync(
            AccountKey(email), IAttemptThrottle.AccountWide, Lockout.AccountMaxFailedAttempts, ConfiguredPolicy, Clock.GetUtcNow(), Arg.Any<CancellationToken>());
    }

    public Task ClaimedAsync(User user, int times = 1) => ClaimedAsync(user.Email.Value, times);

    /// <summary>No attempt was claimed at all: no secret was to be evaluated.</summary>
    public async Task NothingClaimedAsync() =>
        await Throttle.DidNotReceiveWithAnyArgs().TryClaimAsync(default!, default!, default, default!, default, default);

    /// <summary>
    /// Exactly <paramref name="times"/> failures counted, all for <paramref name="email"/>'s claimed
    /// attempts: each on the address's budget and the account-wide one, with the configured limits
    /// and the policy at the clock's time.
    /// </summary>
    public async Task FailureCountedAsync(string email, int times = 1)
    {
        await Throttle.Received(times).FailAsync(
            AccountKey(email), AddressScope, true, Lockout.MaxFailedAttempts, ConfiguredPolicy, Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        await Throttle.Received(times).FailAsync(
            AccountKey(email), IAttemptThrottle.AccountWide, true, Lockout.AccountMaxFailedAttempts, ConfiguredPolicy, Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        Assert.Equal(2 * times, ThrottleCalls(nameof(IAttemptThrottle.FailAsync)));
    }

    public Task FailureCountedAsync(User user, int times = 1) => FailureCountedAsync(user.Email.Value, times);

    public async Task NoFailureCountedAsync() =>
        await Throttle.DidNotReceiveWithAnyArgs().FailAsync(default!, default!, default, default, default!, default, default);

    /// <summary>Exactly <paramref name="times"/> claims of <paramref name="email"/>'s account ended as successes: both budgets released, nothing else.</summary>
    public async Task ReleasedAsync(string email, int times = 1)
    {
        await Throttle.Received(times).ReleaseAsync(AccountKey(email), AddressScope, Arg.Any<CancellationToken>());
        await Throttle.Received(times).ReleaseAsync(AccountKey(email), IAttemptThrottle.AccountWide, Arg.Any<CancellationToken>());
        Assert.Equal(2 * times, ThrottleCalls(nameof(IAttemptThrottle.ReleaseAsync)));
    }

    public Task ReleasedAsync(User user, int times = 1) => ReleasedAsync(user.Email.Value, times);

    public async Task NothingReleasedAsync() =>
        await Throttle.DidNotReceiveWithAnyArgs().ReleaseAsync(default!, default!, default);

    /// <summary>How many calls of <paramref name="method"/> the throttle received, whatever their arguments.</summary>
    public int ThrottleCalls(string method) => Throttle.ReceivedCalls().Count(c => c.GetMethodInfo().Name == method);

    // ---- Sessions ----

    /// <summary>A stored session of <paramref name="userId"/> whose current token is <paramref name="token"/>.</summary>
    public RefreshTokenFamily StoredFamily(Guid userId, string token, IReadOnlyList<string>? amr = null)
    {
        var family = RefreshTokenFamily.Start(
            Guid.NewGuid(), userId, HashOf(token), ScopeSet.Parse("profile"), amr ?? ["pwd"], null, null, Sessions.Lifetimes, Clock.GetUtcNow());
        family.DequeueDomainEvents();
        return Track(family);
    }

    /// <summary>The family as the store's atomic revocation left it (the aggregate never revokes itself).</summary>
    public static RefreshTokenFamily RevokedInStore(RefreshTokenFamily family, string reason, DateTimeOffset at)
    {
        StoredColumns.Set(family, nameof(RefreshTokenFamily.RevokedAt), at);
        StoredColumns.Set(family, nameof(RefreshTokenFamily.RevocationReason), reason);
        return StoredColumns.Set(family, nameof(RefreshTokenFamily.Version), family.Version + 1);
    }

    public RefreshTokenFamily SingleAddedFamily() =>
        Assert.Single(Families.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IRefreshTokenFamilyRepository.Add))
            .Select(c => (RefreshTokenFamily)c.GetArguments()[0]!));

    public AccessTokenRequest SingleAccessTokenRequest() =>
        Assert.Single(AccessTokens.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IAccessTokenIssuer.IssueAsync))
            .Select(c => (AccessTokenRequest)c.GetArguments()[0]!));

    // ---- API keys ----

    public IApiKeyRepository ApiKeys { get; } = Substitute.For<IApiKeyRepository>();

    public IApiKeyGenerator ApiKeyGenerator { get; } = Substitute.For<IApiKeyGenerator>();

    public IApiKeyCache ApiKeyCache { get; } = Substitute.For<IApiKeyCache>();

    public IAfterCommit AfterCommit { get; } = Substitute.For<IAfterCommit>();

    /// <summary>What <see cref="IAfterCommit.Enqueue"/> received, in order, not yet run (the unit of work runs them after commit).</summary>
    public List<Func<CancellationToken, Task>> Enqueued { get; } = [];

    /// <summary>The keys created with other keys, generation by generation, over the stored keys (see <see cref="StoredKey"/>).</summary>
    public ApiKeyLineage Lineage { get; }

    /// <summary>
    /// A stored key of <paramref name="ownerId"/> that the repository finds by id, and among the keys
    /// created with <paramref name="createdBy"/> when given (no pending events, as loaded).
    /// </summary>
    public ApiKey StoredKey(
        Guid ownerId, IReadOnlyCollection<string>? permissions = null, DateTimeOffset? expiresAt = null, string hash = "sha:stored-key", ApiKey? createdBy = null)
    {
        var key = ApiKey.Issue(
            Guid.NewGuid(), ownerId, "stored key", "ap_Stored00", hash, ScopeSet.From(permissions ?? ["profile", "models.read"]), expiresAt, Clock.GetUtcNow(), createdBy);
        key.DequeueDomainEvents();
        Track(key);
        _storedKeys.Add(key);
        ApiKeys.FindByIdAsync(key.Id, Arg.Any<CancellationToken>()).Returns(key);
        return key;
    }

    /// <summary>The store's hold on a creating key (an atomic conditional update) answers <paramref name="held"/>.</summary>
    public void StoreHoldsKey(ApiKey key, bool held = true) =>
        ApiKeys.HoldIfActiveAsync(key.Id, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(held);

    public IReadOnlyList<ApiKey> AddedKeys() =>
        ApiKeys.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(IApiKeyRepository.Add))
            .Select(c => (ApiKey)c.GetArguments()[0]!).ToList();

    /// <summary>
    /// What the unit of work does when it saves: the events raised since the last save go to the
    /// real event handler that has after-commit work (<see cref="EvictInvalidatedApiKey"/>).
    /// </summary>
    public async Task SaveAsync()
    {
        var handler = new EvictInvalidatedApiKey(ApiKeyCache, AfterCommit);
        var events = Events();
        foreach (var domainEvent in events.Skip(_dispatched))
        {
            await handler.Handle(new DomainEventNotification(domainEvent), CancellationToken.None);
        }

        _dispatched = events.Count;
    }

    /// <summary>Runs what was enqueued, as the unit of work does once the transaction commits.</summary>
    public async Task CommitAsync()
    {
        foreach (var action in Enqueued)
        {
            await action(CancellationToken.None);
        }

        Enqueued.Clear();
    }

    // ---- Two-factor ----

    public ITotp Totp { get; } = Substitute.For<ITotp>();

    public ISecretProtector Protector { get; } = Substitute.For<ISecretProtector>();

    public ISecondFactorStore SecondFactorStore { get; } = Substitute.For<ISecondFactorStore>();

    public IMfaTokens MfaTokens { get; } = Substitute.For<IMfaTokens>();

    public SecondFactorVerifier SecondFactor { get; }

    public StepUp StepUp { get; }

    public RecoveryCodes RecoveryCodes { get; }

    /// <summary>The base32 TOTP secret every 2FA user of these tests enrolled with (what the protector gives back).</summary>
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    /// <summary>The RFC 6238 time step of <see cref="Start"/>.</summary>
    public static readonly long StartStep = Start.ToUnixTimeSeconds() / 30;

    public static string Protected(string secret) => $"enc:{secret}";

    public static string Unprotected(string protectedSecret) =>
        protectedSecret.StartsWith("enc:", StringComparison.Ordinal) ? protectedSecret["enc:".Length..] : throw new InvalidOperationException("not protected by the fake");

    /// <summary>
    /// A stored user with 2FA on, <see cref="TotpSecret"/> enrolled, <paramref name="lastStep"/> already used and the
    /// <see cref="DefaultRecoveryCodes"/>; the hasher accepts a secret against its <see cref="SlowHashOf"/>.
    /// </summary>
    public User TwoFactorUser(long? lastStep = null)
    {
        var user = NewUser();
        user.BeginTwoFactorSetup(Protected(TotpSecret));
        user.EnableTwoFactor(
            lastStep ?? StartStep - 10,
            DefaultRecoveryCodes.Select(c => RecoveryCode.Create(Guid.NewGuid(), user.Id, c.Locator, SlowHashOf(c.Secret), Clock.GetUtcNow())).ToList(),
            "stamp-2fa",
            Clock.GetUtcNow());
        user.DequeueDomainEvents();
        Hasher.Verify(Arg.Any<string>(), Arg.Any<string>())
            .Returns(call => call.ArgAt<string>(0) == SlowHashOf(call.ArgAt<string>(1)) ? PasswordCheck.Success : PasswordCheck.Failed);
        return user;
    }

    /// <summary>Ten recovery codes <c>cd2a-…</c> … <c>cd2k-…</c>; the secret of each is 8 characters of the recovery alphabet.</summary>
    public static readonly (string Locator, string Secret)[] DefaultRecoveryCodes =
        Enumerable.Range(0, 10).Select(i => ($"cd2{"abcdefghjk"[i]}", $"sec{"abcdefghjk"[i]}2345")).ToArray();

    public static string SlowHashOf(string secret) => $"slow:{secret}";

    /// <summary>
    /// A genuine <c>mfa_token</c> named <paramref name="token"/> from the password step of
    /// <paramref name="user"/>, bound to their stamp as it is now, id <paramref name="tokenId"/>.
    /// </summary>
    public MfaTokenClaims MfaChallengeFor(User user, string token = "mfa-token-1", string tokenId = "jti-1")
    {
        var claims = new MfaTokenClaims(user.Id, SecurityStamps.Fingerprint(user.SecurityStamp), tokenId, Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        MfaTokens.ValidateAsync(token, Arg.Any<CancellationToken>()).Returns(claims);
        return claims;
    }

    /// <summary>Makes <paramref name="code"/> the TOTP code of <paramref name="step"/> for <paramref name="secret"/>; the store accepts that step.</summary>
    public void TotpCode(string code, long step, string secret = TotpSecret)
    {
        Totp.Match(secret, code, Arg.Any<DateTimeOffset>()).Returns(step);
        SecondFactorStore.TryAdvanceTotpStepAsync(Arg.Any<Guid>(), step, Arg.Any<CancellationToken>()).Returns(true);
    }

    // ---- Domain events and the audit trail ----

    /// <summary>Follows an aggregate's events (the fakes do it for what they hand out or receive).</summary>
    public T Track<T>(T aggregate)
        where T : AggregateRoot
    {
        if (!_tracked.Contains(aggregate))
        {
            _tracked.Add(aggregate);
        }

        return aggregate;
    }

    /// <summary>Every domain event raised so far: by the tracked aggregates and through <see cref="IDomainEvents"/>.</summary>
    public IReadOnlyList<IDomainEvent> Events()
    {
        TrackAggregatesPassedToFakes();
        _events.AddRange(_raisedWithoutAggregate);
        _raisedWithoutAggregate.Clear();
        foreach (var aggregate in _tracked)
        {
            _events.AddRange(aggregate.DequeueDomainEvents());
        }

        return _events.ToList();
    }

    /// <summary>Forgets the events so far (a test's setup, or an earlier command whose events were already saved).</summary>
    public void ForgetEvents()
    {
        Events();
        _events.Clear();
        _dispatched = 0;
    }

    /// <summary>The audit rows the events so far make, mapped by the real <see cref="AuditTrail.Describe"/>.</summary>
    public IReadOnlyList<AuditRecord> AuditCalls() =>
        Events().Select(AuditTrail.Describe).OfType<AuditRecord>().ToList();

    /// <summary>Asserts exactly one audit row of <paramref name="type"/> was made, and returns it.</summary>
    public AuditRecord SingleAudit(string type)
    {
        var audits = AuditCalls();
        var ofType = audits.Where(c => c.Type == type).ToList();
        Assert.True(ofType.Count == 1, $"Expected one '{type}' audit row, found {ofType.Count}: [{string.Join(", ", audits.Select(c => c.Type))}]");
        return ofType[0];
    }

    /// <summary>Every detail value of every audit row so far, as text (lists item by item): what a secrecy assertion searches.</summary>
    public IReadOnlyList<string> AuditDetailValues() =>
        AuditCalls().SelectMany(DetailValues).ToList();

    public static IEnumerable<string> DetailValues(AuditRecord record) =>
        (record.Details ?? new Dictionary<string, object?>()).Values.SelectMany(value => value switch
        {
            null => Array.Empty<string>(),
            string text => new[] { text },
            IEnumerable<string> items => items,
            IFormattable formattable => new[] { formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture) },
            _ => new[] { value.ToString() ?? string.Empty },
        });

    /// <summary>
    /// The real unit of work forgets every tracked change and every event raised so far when it
    /// discards; handlers run here without the pipeline, so a test's command is what came before.
    /// </summary>
    private void DiscardPendingEvents()
    {
        TrackAggregatesPassedToFakes();
        _raisedWithoutAggregate.Clear();
        foreach (var aggregate in _tracked)
        {
            aggregate.DequeueDomainEvents();
        }
    }

    /// <summary>An aggregate a handler passed to a repository (to add it, to remove it) is one it holds.</summary>
    private void TrackAggregatesPassedToFakes()
    {
        var calls = Users.ReceivedCalls().Concat(Families.ReceivedCalls()).Concat(ApiKeys.ReceivedCalls());
        foreach (var aggregate in calls.SelectMany(c => c.GetArguments()).OfType<AggregateRoot>())
        {
            Track(aggregate);
        }
    }

    private static TypeAdapterConfig CompiledMappings()
    {
        var config = MappingConfiguration.Create();
        config.Compile();
        return config;
    }
}

/// <summary>
/// Columns written only by the store's atomic conditional updates (ADR 0009): no domain method
/// sets them, so a test that needs such a state sets the column the way EF Core materialises it.
/// </summary>
internal static class StoredColumns
{
    public static T Set<T>(T entity, string property, object? value)
        where T : class
    {
        var info = typeof(T).GetProperty(property) ?? throw new ArgumentException($"{typeof(T).Name} has no property {property}.", nameof(property));
        info.SetValue(entity, value);
        return entity;
    }
}
