using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.GetMe;
using AuthPlatform.Application.Auth.ListSessions;
using AuthPlatform.Application.Common.Mapping;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Mapster;
using MapsterMapper;

namespace AuthPlatform.Application.UnitTests.Common;

public sealed class MappingConfigurationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly IMapper _mapper = new Mapper(Compiled());

    private static TypeAdapterConfig Compiled()
    {
        var config = MappingConfiguration.Create();
        config.Compile();
        return config;
    }

    private static User NewUser(UserRole role = UserRole.User)
    {
        var email = EmailAddress.Create(" Alice.Smith@Example.com ");
        return role == UserRole.Admin
            ? User.CreateAdministrator(Guid.NewGuid(), email, "Alice", "hash", "stamp", Now)
            : User.Register(Guid.NewGuid(), email, "Alice", "hash", "stamp", Now);
    }

    private static ApiKey NewKey(DateTimeOffset? expiresAt = null) =>
        ApiKey.Issue(Guid.NewGuid(), Guid.NewGuid(), "deploy bot", "ap_AbCdEfGh", "sha:key", ScopeSet.Parse("models.read profile"), expiresAt, Now);

    [Fact]
    public void Map_ServiceAccount_ListsSecretsWithoutValuesOldestFirst_AndTheCreateAnswerCarriesTheFirstSecret()
    {
        var account = Domain.ServiceAccounts.ServiceAccount.Create(
            Guid.NewGuid(), Guid.NewGuid(), "billing", null, "sa_0123456789abcdefghijkl", ScopeSet.Parse("profile"), Guid.NewGuid(), "sha:one", null, Now);
        var second = account.AddSecret(Guid.NewGuid(), "sha:two", Now.AddDays(1), Now.AddMinutes(1), account.OwnerId);

        var listed = _mapper.Map<Application.ServiceAccounts.Common.ServiceAccountResponse>(account);
        var created = _mapper.Map<Application.ServiceAccounts.Common.ServiceAccountCreatedResponse>(account);
        var added = _mapper.Map<Application.ServiceAccounts.Common.ClientSecretCreatedResponse>(second) with { ClientSecret = "shown-once" };

        Assert.Equal([account.Secrets[0].Id, second.Id], listed.Secrets.Select(s => s.Id).ToArray());
        Assert.Equal(Now.AddDays(1), listed.Secrets[1].ExpiresAt);
        Assert.Equal(["profile"], listed.Scopes);
        Assert.Equal(account.Secrets[0].Id, created.SecretId);
        Assert.Equal(second.Id, added.Id);
        Assert.Equal(second.CreatedAt, added.CreatedAt);
    }

    [Fact]
    public void Create_Compile_Succeeds()
    {
        var config = MappingConfiguration.Create();

        var error = Record.Exception(() => config.Compile());

        Assert.Null(error);
        Assert.True(config.RequireExplicitMapping);
        Assert.True(config.RequireDestinationMemberSource);
    }

    [Fact]
    public void Create_Always_RegistersExactlyTheMappingsTestedHere()
    {
        // A mapping added without a test here makes this test fail.
        var registered = MappingConfiguration.Create().RuleMap.Keys.Select(k => (k.Source, k.Destination)).ToHashSet();

        Assert.Equal(
            new HashSet<(Type, Type)>
            {
                (typeof(ApiKey), typeof(ApiKeyResponse)),
                (typeof(ApiKey), typeof(ApiKeyCreatedResponse)),
                (typeof(User), typeof(UserResponse)),
                (typeof(User), typeof(SessionUser)),
                (typeof(User), typeof(MeResponse)),
                (typeof(RefreshTokenFamily), typeof(SessionSummary)),
                (typeof(User), typeof(AdminUserResponse)),
                (typeof(Domain.OAuth.OAuthClient), typeof(Application.OAuth.Clients.Common.OAuthClientResponse)),
                (typeof(Domain.OAuth.OAuthClient), typeof(Application.OAuth.Clients.Common.OAuthClientCreatedResponse)),
                (typeof(Domain.OAuth.OAuthClientSecret), typeof(Application.OAuth.Clients.Common.OAuthClientSecretResponse)),
                (typeof(Domain.ServiceAccounts.ClientSecret), typeof(Application.ServiceAccounts.Common.ClientSecretResponse)),
                (typeof(Domain.ServiceAccounts.ServiceAccount), typeof(Application.ServiceAccounts.Common.ServiceAccountResponse)),
                (typeof(Domain.ServiceAccounts.ServiceAccount), typeof(Application.ServiceAccounts.Common.ServiceAccountCreatedResponse)),
                (typeof(Domain.ServiceAccounts.ClientSecret), typeof(Application.ServiceAccounts.Common.ClientSecretCreatedResponse)),
            },
            registered);
    }

    [Fact]
    public void Map_ApiKeyToApiKeyResponse_CopiesEveryFieldAndThePermissionsInOrder()
    {
        var key = NewKey(expiresAt: Now.AddDays(30));
        key.Revoke(Now.AddHours(1), key.OwnerId);

        var response = _mapper.Map<ApiKeyResponse>(key);

        Assert.Equal(
            new ApiKeyResponse(key.Id, key.OwnerId, "deploy bot", "ap_AbCdEfGh", response.Permissions, Now.AddDays(30), Now, null, Now.AddHours(1), null),
            response);
        Assert.Equal(["models.read", "profile"], response.Permissions);
        Assert.IsNotType<ScopeSet>(response.Permissions);
    }

    [Fact]
    public void Map_ApiKeyToApiKeyCreatedResponse_LeavesTheSecretForTheHandlerToFill()
    {
        var key = NewKey();

        var response = _mapper.Map<ApiKeyCreatedResponse>(key);

        Assert.True(string.IsNullOrEmpty(response.Key));
        Assert.Equal(key.Id, response.Id);
        Assert.Equal("deploy bot", response.Name);
        Assert.Equal("ap_AbCdEfGh", response.KeyPrefix);
        Assert.Equal(["models.read", "profile"], response.Permissions);
        Assert.Null(response.ExpiresAt);
        Assert.Equal(Now, response.CreatedAt);
        Assert.Equal("ap_live_secret", (response with { Key = "ap_live_secret" }).Key);
    }

    [Fact]
    public void Map_KeyCreatedWithAKey_GivesTheCreatingKeyInBothAnswers()
    {
        var creator = NewKey(expiresAt: Now.AddDays(1));
        var key = ApiKey.Issue(Guid.NewGuid(), creator.OwnerId, "child", "ap_ChIlD000", "sha:child", ScopeSet.Parse("profile"), null, Now, creator);

        Assert.Equal(creator.Id, _mapper.Map<ApiKeyResponse>(key).CreatedByKeyId);
        Assert.Equal(creator.Id, _mapper.Map<ApiKeyCreatedResponse>(key).CreatedByKeyId);
        Assert.Null(_mapper.Map<ApiKeyResponse>(creator).CreatedByKeyId);
    }

    [Theory]
    [InlineData(UserRole.User, "user")]
    [InlineData(UserRole.Admin, "admin")]
    public void Map_UserToUserResponse_GivesTheEmailAsTypedAndTheRoleName(UserRole role, string roleName)
    {
        var user = NewUser(role);

        var response = _mapper.Map<UserResponse>(user);

        Assert.Equal(new UserResponse(user.Id, "Alice.Smith@Example.com", "Alice", roleName, Now), response);
    }

    [Theory]
    [InlineData(UserRole.User, "user")]
    [InlineData(UserRole.Admin, "admin")]
    public void Map_UserToSessionUser_GivesTheEmailAsTypedAndTheRoleName(UserRole role, string roleName)
    {
        var user = NewUser(role);

        var response = _mapper.Map<SessionUser>(user);

        Assert.Equal(new SessionUser(user.Id, "Alice.Smith@Example.com", "Alice", roleName), response);
    }

    [Fact]
    public void Map_UserToMeResponse_CopiesTheProfileAndLeavesAuthForTheQuery()
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("enc:secret");
        user.EnableTwoFactor(
            1, Enumerable.Range(0, User.RecoveryCodeCount).Select(i => RecoveryCode.Create(Guid.NewGuid(), user.Id, $"loc{i}", "h", Now)).ToList(), "stamp-2fa", Now);

        var response = _mapper.Map<MeResponse>(user);

        Assert.Equal(user.Id, response.Id);
        Assert.Equal("Alice.Smith@Example.com", response.Email);
        Assert.Equal("Alice", response.Name);
        Assert.Equal("user", response.Role);
        Assert.True(response.TwoFactorEnabled);
        Assert.Equal(Now, response.CreatedAt);
        Assert.Null(response.Auth);
    }

    [Fact]
    public void Map_RefreshTokenFamilyToSessionSummary_CopiesTheSessionAndLeavesCurrentForTheQuery()
    {
        var lifetimes = new SessionLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(90));
        var family = RefreshTokenFamily.Start(
            Guid.NewGuid(), Guid.NewGuid(), "sha:t0", ScopeSet.Parse("profile"), ["pwd"], "198.51.100.7", "agent/1.0", lifetimes, Now);
        family.Rotate("sha:t0", "sha:t1", lifetimes, Now.AddDays(1));

        var summary = _mapper.Map<SessionSummary>(family);

        Assert.Equal(
            new SessionSummary(family.Id, Now, Now.AddDays(1), "198.51.100.7", "agent/1.0", Now.AddDays(31), Current: false),
            summary);
        Assert.Equal(family.CurrentTokenExpiresAt, summary.ExpiresAt);
    }

    // ---- Controls: the settings do reject a mapping that leaves a member without a source ----

    private sealed record Source(Guid Id, string Name);

    private sealed record Destination(Guid Id, string Name, string Extra);

    private static TypeAdapterConfig SameSettings() => new()
    {
        RequireExplicitMapping = MappingConfiguration.Create().RequireExplicitMapping,
        RequireDestinationMemberSource = MappingConfiguration.Create().RequireDestinationMemberSource,
    };

    [Fact]
    public void Compile_DestinationMemberWithoutSource_Fails()
    {
        var config = SameSettings();
        config.NewConfig<Source, Destination>();

        var error = Assert.ThrowsAny<Exception>(() => config.Compile());
        Assert.EndsWith(
            "do not have a corresponding source member mapped or ignored:" + nameof(Destination.Extra), error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompiledMappings_ABrokenMapping_FaultsTheCompilationAndHandsOutNoConfiguration()
    {
        // Compiled on a worker thread at start-up (issue 13): the host awaits Compilation, so the
        // broken mapping still stops the start-up, and nothing can map with a half-compiled configuration.
        var config = SameSettings();
        config.NewConfig<Source, Destination>();
        var mappings = new CompiledMappings(config);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => mappings.Compilation);
        Assert.EndsWith("do not have a corresponding source member mapped or ignored:" + nameof(Destination.Extra), error.InnerException?.Message, StringComparison.Ordinal);
        Assert.Same(error, Assert.ThrowsAny<Exception>(() => mappings.WhenCompiled()));
    }

    [Fact]
    public async Task CompiledMappings_TheApplicationsMappings_CompileAndMap()
    {
        var mappings = new CompiledMappings(MappingConfiguration.Create());

        await mappings.Compilation;
        var user = NewUser();
        var me = new Mapper(mappings.WhenCompiled()).Map<MeResponse>(user);

        Assert.Equal(user.Id, me.Id);
        Assert.Equal("Alice.Smith@Example.com", me.Email);
    }

    [Fact]
    public void Compile_TheCreatedResponseMappingWithoutItsIgnore_Fails()
    {
        // ApiKeyMappings without `.Ignore(response => response.Key)`: the secret has no source.
        var config = SameSettings();
        config.NewConfig<ApiKey, ApiKeyCreatedResponse>()
            .Map(response => response.Permissions, key => key.Permissions.ToArray());

        var error = Assert.ThrowsAny<Exception>(() => config.Compile());
        Assert.EndsWith(
            "do not have a corresponding source member mapped or ignored:" + nameof(ApiKeyCreatedResponse.Key), error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SameMappingWithTheMemberIgnored_Succeeds()
    {
        var config = SameSettings();
        config.NewConfig<Source, Destination>().Ignore(d => d.Extra);

        Assert.Null(Record.Exception(() => config.Compile()));
    }

    [Fact]
    public void Map_UnregisteredPair_Fails()
    {
        Assert.ThrowsAny<Exception>(() => _mapper.Map<Destination>(new Source(Guid.NewGuid(), "x")));
    }

    [Fact]
    public void Map_UserToAdminUserResponse_CopiesTheProfileAndStandingAndLeavesTheLockForTheViews()
    {
        var user = NewUser(UserRole.Admin);
        user.Disable(Guid.NewGuid(), "stamp-2", Now);

        var response = _mapper.Map<AdminUserResponse>(user);

        Assert.Equal(new AdminUserResponse(user.Id, "Alice.Smith@Example.com", "Alice", "admin", Now, true, false, null, false), response);
    }
    [Fact]
    public void Map_OAuthClient_AnswersEverySettingAndTheSecretsWithoutTheirHash()
    {
        var owner = Guid.NewGuid();
        var client = Domain.OAuth.OAuthClient.Register(
            Guid.NewGuid(), "oc_0123456789abcdefghijABCDEFGHIJ01", owner, Domain.OAuth.OAuthClientType.Confidential,
            new Domain.OAuth.OAuthClientSettings(
                "Acme", ["https://app.example.com/cb"], ["https://app.example.com/"], ["authorization_code", "client_credentials"], ScopeSet.Parse("openid profile"), false, false),
            (Guid.NewGuid(), new string('a', 64)), owner, Now);

        var response = _mapper.Map<Application.OAuth.Clients.Common.OAuthClientResponse>(client);
        var created = _mapper.Map<Application.OAuth.Clients.Common.OAuthClientCreatedResponse>(client);

        Assert.Equal("confidential", response.Type);
        Assert.Equal(["openid", "profile"], response.Scopes);
        Assert.Equal(["https://app.example.com/cb"], response.RedirectUris);
        Assert.Equal(["https://app.example.com/"], response.PostLogoutRedirectUris);
        Assert.Equal(["authorization_code", "client_credentials"], response.GrantTypes);
        Assert.False(response.RequireConsent);
        Assert.Equal(owner, response.OwnerId);
        Assert.Equal(client.Secrets.Single().Id, Assert.Single(response.Secrets).Id);
        Assert.Null(created.ClientSecret);
        Assert.Equal(client.ClientId, created.ClientId);
    }
}
