// Longer than 150 lines because registration's validator (URIs, grants, scopes, type) and its handler (least privilege, first-party, step-up, the secret) are one use case.
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.CreateClient;

/// <summary>
/// Registers an OAuth client owned by the caller. A confidential client gets its first secret,
/// answered once as <c>client_secret</c>. <see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header.
/// Lists left out of the request are empty (URIs) or the defaults (<see cref="DefaultGrantTypes"/>).
/// </summary>
public sealed record CreateClientCommand(
    CallerIdentity Caller,
    string Name,
    string Type,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    bool RequireConsent = true,
    bool FirstParty = false,
    string? StepUpCode = null) : ICommand<Result<OAuthClientCreatedResponse>>
{
    /// <summary>The grants of a client registered without <c>grant_types</c>: the code flow with refresh.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes { get; } = [OAuthGrantTypes.AuthorizationCode, OAuthGrantTypes.RefreshToken];
}

public sealed class CreateClientValidator : AbstractValidator<CreateClientCommand>
{
    public CreateClientValidator(IScopeCatalog scopes)
    {
        RuleFor(c => c.Name).DisplayText(OAuthClientRules.MaxNameLength);
        RuleFor(c => c.Type).Must(t => ClientFieldRules.ParseType(t) is not null).WithMessage("type is 'confidential' or 'public'.");
        RuleFor(c => (IReadOnlyList<string>?)c.RedirectUris).NotNull().UriList().OverridePropertyName("redirect_uris");
        RuleForEach(c => c.RedirectUris).RedirectUri(c => ClientFieldRules.ParseType(c.Type));
        RuleFor(c => (IReadOnlyList<string>?)c.PostLogoutRedirectUris).NotNull().UriList().OverridePropertyName("post_logout_redirect_uris");
        RuleForEach(c => c.PostLogoutRedirectUris).RedirectUri(c => ClientFieldRules.ParseType(c.Type));
        RuleFor(c => (IReadOnlyList<string>?)c.GrantTypes).NotNull().GrantList().OverridePropertyName("grant_types");
        RuleForEach(c => c.GrantTypes).GrantType();
        RuleFor(c => (IReadOnlyList<string>?)c.Scopes).NotNull().ScopeList().OverridePropertyName("scopes");
        RuleForEach(c => c.Scopes).Scope(scopes);

        // Between fields, once each field is well-formed on its own.
        RuleFor(c => c).Custom((c, context) =>
        {
            if (ClientFieldRules.ParseType(c.Type) is not { } type || c.GrantTypes is null || c.RedirectUris is null
                || c.GrantTypes.Any(g => !OAuthGrantTypes.IsKnown(g)))
            {
                return;
            }

            foreach (var problem in OAuthClientRules.CheckGrants(type, c.GrantTypes, c.RedirectUris.Count, c.FirstParty))
            {
                context.AddFailure(problem.Field, problem.Message);
            }
        });
    }
}

public sealed class CreateClientHandler(
    IOAuthClientRepository clients,
    CallerAccounts callers,
    StepUp stepUp,
    ISecretGenerator secrets,
    IMapper mapper,
    TimeProvider clock) : ICommandHandler<CreateClientCommand, Result<OAuthClientCreatedResponse>>
{
    /// <summary>The random part of a client id: 32 base62 characters (190 bits).</summary>
    public const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public async ValueTask<Result<OAuthClientCreatedResponse>> Handle(CreateClientCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var owner = await callers.LoadAsync(caller, cancellationToken);
        if (owner.IsFailure)
        {
            return CallerAccounts.NotAUser;
        }

        if (ClientAccess.ScopeBeyondCaller(caller, command.Scopes) is { } wider)
        {
            return wider;
        }

        if (command.FirstParty && !ClientAccess.IsAdministrator(caller))
        {
            return ClientAccess.FirstPartyForAdministrators;
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(caller, owner.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var type = ClientFieldRules.ParseType(command.Type) ?? throw new InvalidOperationException("The validator lets only known types through.");
        string? secret = null;
        (Guid, string)? firstSecret = null;
        if (type == OAuthClientType.Confidential)
        {
            secret = secrets.NewSecret(32);
            firstSecret = (Guid.CreateVersion7(now), secrets.Hash(secret));
        }

        var settings = new OAuthClientSettings(
            command.Name,
            command.RedirectUris,
            command.PostLogoutRedirectUris,
            command.GrantTypes,
            ScopeSet.From(command.Scopes),
            command.RequireConsent,
            command.FirstParty);
        var client = OAuthClient.Register(
            Guid.CreateVersion7(now),
            OAuthClient.ClientIdPrefix + secrets.NewCode(Base62, 32),
            owner.Value.Id,
            type,
            settings,
            firstSecret,
            owner.Value.Id,
            now);
        clients.Add(client);
        return mapper.Map<OAuthClientCreatedResponse>(client) with { ClientSecret = secret };
    }
}
