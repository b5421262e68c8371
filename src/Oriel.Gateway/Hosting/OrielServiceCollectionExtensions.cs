using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Hosting;

/// <summary>Registers the gateway's services; shared by the web host and the CLI.</summary>
public static class OrielServiceCollectionExtensions
{
    /// <summary>Storage, secrets, identity, access, targets and audit. Makes the data directory private (<see cref="PrivateDataDirectory"/>) and creates the key file.</summary>
    public static IServiceCollection AddOrielCore(this IServiceCollection services, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PrivateDataDirectory.Secure(options.DataDirectory);
        services.AddSingleton(options);
        services.TryAddSingleton(options.TimeProvider);
        services.AddLogging();
        services.AddSingleton<IOrielStore>(_ => new SqliteOrielStore(options.DatabasePath));
        services.AddSingleton(_ => SecretKeyRing.LoadOrCreate(options.SecretKeyPath));
        services.AddSingleton<TargetSecretProtector>();
        services.AddSingleton(_ => new PasswordHasher(options.PasswordIterations));
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton(options.RefusalAudit);
        services.AddSingleton<RefusalAuditor>();
        services.AddSingleton<UserService>();
        services.AddSingleton<RoleService>();
        services.AddSingleton<TargetService>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<AccessService>();
        services.AddSingleton<IAccessService>(sp => sp.GetRequiredService<AccessService>());
        services.AddSingleton<IOriginValidator, OriginValidator>();
        services.AddSingleton<ConfigFileApplier>();
        services.AddSingleton<FirstRunSetup>();
        services.TryAddSingleton(_ => JpegSupport.TurboJpeg());
        return services;
    }
}
