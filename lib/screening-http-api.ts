import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ScreeningFunction } from './screening-function';

export interface ScreeningHttpApiProps {
  /** Origins the form page is served from: API Gateway answers their CORS preflight. */
  readonly allowedOrigins: readonly string[];
  /** Stage throttling, requests per second and burst. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** How long access logs are kept (P7). */
  readonly logRetention: logs.RetentionDays;
}

/** One route of a function: a path and the methods it answers. */
export interface FunctionRoute {
  readonly path: string;
  readonly methods: readonly apigw.HttpMethod[];
}

/**
 * Who may call a function's routes: an authoriser, or anyone, with the reason written down (it becomes the
 * acknowledgement of cdk-nag's AwsSolutions-APIG4 on each route, so a public route is always a decision).
 */
export type RouteAccess =
  | { readonly authorizer: apigw.IHttpRouteAuthorizer }
  | { readonly publicBecause: string };

/**
 * The HTTP API: one `$default` stage, throttled, with JSON access logs (ids and the caller's ARN, no
 * bodies: P7). Functions are added with `addFunctionRoutes`. Created in `scope` itself (see
 * `ScreeningFunctions`).
 */
export class ScreeningHttpApi {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** True when API Gateway answers CORS preflight requests itself (origins are configured). */
  readonly answersPreflight: boolean;

  constructor(scope: Construct, props: ScreeningHttpApiProps) {
    const accessLogs = new logs.LogGroup(scope, 'ApiAccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const origins = [...props.allowedOrigins];
    this.answersPreflight = origins.length > 0;
    this.api = new apigw.HttpApi(scope, 'HttpApi', {
      description:
        'Contact screening: POST /contact (public), /admin/* (IAM) and the staff console at /staff/ (its own sign-in)',
      createDefaultStage: false,
      ...(this.answersPreflight
        ? {
            corsPreflight: {
              allowOrigins: origins,
              allowMethods: [apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
              allowHeaders: ['content-type'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            caller: '$context.identity.userArn',
          }),
        ),
      },
    });
    new CfnOutput(scope, 'ApiUrl', {
      description: 'The HTTP API (POST /contact, /admin/*, /staff/)',
      value: this.api.apiEndpoint,
    });
  }

  /**
   * Routes requests to a function: one Lambda integration (`integrationId`) for all the routes given, each
   * behind the authoriser or, when public, acknowledged as public with the reason.
   */
  addFunctionRoutes(
    integrationId: string,
    fn: ScreeningFunction,
    routes: readonly FunctionRoute[],
    access: RouteAccess,
  ): apigw.HttpRoute[] {
    const integration = new HttpLambdaIntegration(integrationId, fn.function);
    const added = routes.flatMap((route) =>
      this.api.addRoutes({
        path: route.path,
        methods: [...route.methods],
        integration,
        ...('authorizer' in access ? { authorizer: access.authorizer } : {}),
      }),
    );
    if ('publicBecause' in access) {
      for (const route of added) {
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: access.publicBecause });
      }
    }
    return added;
  }
}
