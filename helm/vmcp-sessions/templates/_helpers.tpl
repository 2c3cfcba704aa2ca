{{/*
Chart name, truncated to the 63 characters of a DNS label.
*/}}
{{- define "vmcp-sessions.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects: the release name, prefixed with the chart name unless it
already contains it.
*/}}
{{- define "vmcp-sessions.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "vmcp-sessions.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object.
*/}}
{{- define "vmcp-sessions.labels" -}}
helm.sh/chart: {{ include "vmcp-sessions.chart" . }}
{{ include "vmcp-sessions.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vmcp
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Labels selecting the release's pods.
*/}}
{{- define "vmcp-sessions.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vmcp-sessions.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The `annotations:` of an object's metadata (commonAnnotations and .extra), on a new line and
indented for metadata, or nothing when there are none. Called with (dict "context" $ "extra" map).
*/}}
{{- define "vmcp-sessions.annotations" -}}
{{- $annotations := merge (dict) (.extra | default dict) (.context.Values.commonAnnotations | default dict) }}
{{- with $annotations }}
{{- printf "\n  annotations:\n%s" (toYaml . | indent 4) }}
{{- end }}
{{- end }}

{{/*
Name of the headless Service of the management port, which only the ServiceMonitor selects.
*/}}
{{- define "vmcp-sessions.managementServiceName" -}}
{{- printf "%s-management" (include "vmcp-sessions.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{/*
Labels that set the management port's Service apart from the client-facing one.
*/}}
{{- define "vmcp-sessions.managementLabels" -}}
app.kubernetes.io/component: management
{{- end }}

{{/*
Name of the ServiceAccount of the pods.
*/}}
{{- define "vmcp-sessions.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "vmcp-sessions.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: repository with the digest when one is given, else with the tag (appVersion
by default).
*/}}
{{- define "vmcp-sessions.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
Replica count: replicaCount, else 2 with Redis and 1 with the memory store.
*/}}
{{- define "vmcp-sessions.replicas" -}}
{{- $replicaCount := index .Values "replicaCount" }}
{{- if kindIs "invalid" $replicaCount }}
{{- ternary 2 1 (eq .Values.store "redis") }}
{{- else }}
{{- int $replicaCount }}
{{- end }}
{{- end }}

{{/*
Name of the Secret the chart renders for passwords and the binding secret.
*/}}
{{- define "vmcp-sessions.secretName" -}}
{{- include "vmcp-sessions.fullname" . }}
{{- end }}

{{/*
"true" when the pods get VMCP_SESSION_BINDING_SECRET: always with Redis (every pod must
compute the same owner bindings), with the memory store only when a key is given.
*/}}
{{- define "vmcp-sessions.bindingSecret.enabled" -}}
{{- if or (eq .Values.store "redis") .Values.session.bindingSecret.existingSecret .Values.session.bindingSecret.value -}}
true
{{- end }}
{{- end }}

{{/*
"true" when the Redis password comes from a Secret.
*/}}
{{- define "vmcp-sessions.redisPassword.enabled" -}}
{{- if and (eq .Values.store "redis") (or .Values.redis.existingSecret .Values.redis.password) -}}
true
{{- end }}
{{- end }}

{{/*
"true" when the Sentinel password comes from a Secret.
*/}}
{{- define "vmcp-sessions.sentinelPassword.enabled" -}}
{{- if and (eq .Values.store "redis") (eq .Values.redis.mode "sentinel") (or .Values.redis.sentinel.existingSecret .Values.redis.sentinel.password) -}}
true
{{- end }}
{{- end }}

{{/*
Directory where the ConfigMap's application.yaml is mounted.
*/}}
{{- define "vmcp-sessions.configDir" -}}
/etc/vmcp-sessions/config
{{- end }}

{{/*
Directory where the Redis CA certificate is mounted.
*/}}
{{- define "vmcp-sessions.redisCaDir" -}}
/etc/vmcp-sessions/redis-ca
{{- end }}

{{/*
Ports of the "host:port" entries of a list.
*/}}
{{- define "vmcp-sessions.nodePorts" -}}
{{- $ports := list }}
{{- range . }}
{{- $ports = append $ports (int (splitList ":" . | last)) }}
{{- end }}
{{- toJson ($ports | uniq) }}
{{- end }}

{{/*
Checks of what the schema cannot express; fails the rendering with a message saying what to
change.
*/}}
{{- define "vmcp-sessions.validate" -}}
{{- $replicaCount := index .Values "replicaCount" }}
{{- if eq .Values.store "memory" }}
{{- if and (not (kindIs "invalid" $replicaCount)) (gt (int $replicaCount) 1) }}
{{- fail "store=memory keeps sessions in one pod's memory: replicaCount cannot exceed 1 (use store=redis to run more pods)" }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- fail "store=memory keeps sessions in one pod's memory: autoscaling.enabled needs store=redis" }}
{{- end }}
{{- else }}
{{- if eq .Values.redis.mode "standalone" }}
{{- if not .Values.redis.host }}
{{- fail "store=redis with redis.mode=standalone needs redis.host" }}
{{- end }}
{{- else if eq .Values.redis.mode "sentinel" }}
{{- if or (not .Values.redis.sentinel.master) (not .Values.redis.sentinel.nodes) }}
{{- fail "store=redis with redis.mode=sentinel needs redis.sentinel.master and redis.sentinel.nodes" }}
{{- end }}
{{- else if eq .Values.redis.mode "cluster" }}
{{- if not .Values.redis.cluster.nodes }}
{{- fail "store=redis with redis.mode=cluster needs redis.cluster.nodes" }}
{{- end }}
{{- end }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail "autoscaling.minReplicas cannot exceed autoscaling.maxReplicas" }}
{{- end }}
{{- end }}
{{- if eq (int .Values.managementPort) (int .Values.containerPort) }}
{{- fail (printf "managementPort (%d) must differ from containerPort: on one port the API would also serve the actuator (metrics, health) to every client of the Service and the Ingress" (int .Values.managementPort)) }}
{{- end }}
{{- if and (or .Values.jwt.issuerUri .Values.jwt.jwkSetUri) (not (fromYamlArray (include "vmcp-sessions.jwtAudiences" .))) }}
{{- fail "JWT mode (jwt.issuerUri or jwt.jwkSetUri) needs jwt.audiences: the public URL of /mcp that tokens are issued for (e.g. https://gateway.example.com/mcp), or an Ingress (ingress.enabled) to derive it from" }}
{{- end }}
{{- if and .Values.jwt.jwkSetUri (not .Values.jwt.issuerUri) (not .Values.jwt.authorizationServers) }}
{{- fail "JWT mode with jwt.jwkSetUri alone needs jwt.authorizationServers: where MCP clients log in, named in the protected resource metadata" }}
{{- end }}
{{- $stopping := add .Values.shutdown.preStopSleepSeconds .Values.shutdown.drainSeconds }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int $stopping) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed shutdown.preStopSleepSeconds + shutdown.drainSeconds (%d), or pods are killed while draining" (int .Values.terminationGracePeriodSeconds) (int $stopping)) }}
{{- end }}
{{- end }}

{{/*
The generated application.yaml, before `config` is merged over it.
*/}}
{{- define "vmcp-sessions.applicationYaml" -}}
server:
  port: {{ .Values.containerPort }}
  shutdown: graceful
management:
  server:
    port: {{ .Values.managementPort }}
  {{- with .Values.tracing.otlpEndpoint }}
  opentelemetry:
    tracing:
      export:
        otlp:
          endpoint: {{ . | quote }}
  tracing:
    sampling:
      probability: {{ $.Values.tracing.samplingProbability }}
  {{- end }}
spring:
  lifecycle:
    timeout-per-shutdown-phase: {{ printf "%ds" (int .Values.shutdown.drainSeconds) }}
{{- if eq .Values.store "redis" }}
{{- $redis := .Values.redis }}
  data:
    redis:
      timeout: {{ $redis.timeout | quote }}
      connect-timeout: {{ $redis.connectTimeout | quote }}
      {{- if $redis.username }}
      username: {{ $redis.username | quote }}
      {{- end }}
      {{- if ne $redis.mode "cluster" }}
      database: {{ $redis.database }}
      {{- end }}
      {{- if eq $redis.mode "standalone" }}
      host: {{ $redis.host | quote }}
      port: {{ $redis.port }}
      {{- else if eq $redis.mode "sentinel" }}
      sentinel:
        master: {{ $redis.sentinel.master | quote }}
        nodes:
          {{- toYaml $redis.sentinel.nodes | nindent 10 }}
        {{- if $redis.sentinel.username }}
        username: {{ $redis.sentinel.username | quote }}
        {{- end }}
      {{- else if eq $redis.mode "cluster" }}
      cluster:
        nodes:
          {{- toYaml $redis.cluster.nodes | nindent 10 }}
        {{- if $redis.cluster.maxRedirects }}
        max-redirects: {{ $redis.cluster.maxRedirects }}
        {{- end }}
      lettuce:
        cluster:
          refresh:
            adaptive: {{ $redis.cluster.adaptiveRefresh }}
            {{- if $redis.cluster.refreshPeriod }}
            period: {{ $redis.cluster.refreshPeriod | quote }}
            {{- end }}
      {{- end }}
      ssl:
        enabled: {{ $redis.ssl.enabled }}
        {{- if and $redis.ssl.enabled $redis.ssl.caSecret }}
        bundle: redis
        {{- end }}
{{- if and $redis.ssl.enabled $redis.ssl.caSecret }}
  ssl:
    bundle:
      pem:
        redis:
          truststore:
            certificate: {{ printf "file:%s/%s" (include "vmcp-sessions.redisCaDir" .) $redis.ssl.caSecretKey | quote }}
{{- end }}
{{- end }}
{{- if or .Values.jwt.issuerUri .Values.jwt.jwkSetUri }}
  security:
    oauth2:
      resourceserver:
        jwt:
          {{- with .Values.jwt.issuerUri }}
          issuer-uri: {{ . | quote }}
          {{- end }}
          {{- with .Values.jwt.jwkSetUri }}
          jwk-set-uri: {{ . | quote }}
          {{- end }}
{{- end }}
vmcp:
  {{- if or .Values.jwt.issuerUri .Values.jwt.jwkSetUri }}
  jwt:
    audiences:
      {{- include "vmcp-sessions.jwtAudiences" . | nindent 6 }}
    {{- with .Values.jwt.requiredScopes }}
    required-scopes:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  {{- end }}
  session:
    store: {{ .Values.store }}
    ttl: {{ .Values.session.ttl | quote }}
    max-lifetime: {{ .Values.session.maxLifetime | quote }}
    tombstone-ttl: {{ .Values.session.tombstoneTtl | quote }}
    key-prefix: {{ .Values.session.keyPrefix | quote }}
    metadata-max-size: {{ .Values.session.metadataMaxSize | quote }}
    backend-retry-interval: {{ .Values.session.backendRetryInterval | quote }}
    {{- if eq .Values.store "memory" }}
    memory-sweep-interval: {{ .Values.session.memorySweepInterval | quote }}
    {{- end }}
    cache:
      capacity: {{ int64 .Values.session.cache.capacity }}
    max-per-caller: {{ int64 .Values.session.maxPerCaller }}
    create-rate:
      per-second: {{ .Values.session.createRate.perSecond }}
      burst: {{ int64 .Values.session.createRate.burst }}
    quota-exempt-admin: {{ .Values.session.quotaExemptAdmin }}
    {{- if eq .Values.store "redis" }}
    {{- $replicas := .Values.redis.terminateReplicas }}
    {{- if kindIs "invalid" $replicas }}
    {{- $replicas = ternary 1 0 (eq .Values.redis.mode "sentinel") }}
    {{- end }}
    redis:
      terminate-replicas: {{ int64 $replicas }}
      replica-timeout: {{ .Values.redis.replicaTimeout | quote }}
    {{- end }}
  {{- with .Values.backends }}
  backends:
    {{- range $index, $backend := . }}
    - name: {{ .name | quote }}
      url: {{ .url | quote }}
      {{- with .connectTimeout }}
      connect-timeout: {{ . | quote }}
      {{- end }}
      {{- with .requestTimeout }}
      request-timeout: {{ . | quote }}
      {{- end }}
      {{- with .callTimeout }}
      call-timeout: {{ . | quote }}
      {{- end }}
      {{- with .headers }}
      headers:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .protocol }}
      protocol: {{ . | quote }}
      {{- end }}
      {{- range $kind := list "tools" "prompts" "resources" }}
      {{- with index $backend $kind }}
      {{ $kind }}:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- with .auth }}
      {{- if and .type (ne .type "none") }}
      auth:
        type: {{ .type | quote }}
        token-uri: {{ required (printf "backends[%d].auth.tokenUri is required with an auth type" $index) .tokenUri | quote }}
        client-id: {{ required (printf "backends[%d].auth.clientId is required with an auth type" $index) .clientId | quote }}
        {{- /* From the existing Secret, through an environment variable named by the index */}}
        client-secret: {{ printf "${VMCP_BACKEND_%d_CLIENT_SECRET}" $index | quote }}
        {{- with .clientAuthentication }}
        client-authentication: {{ . | quote }}
        {{- end }}
        {{- with .audience }}
        audience: {{ . | quote }}
        {{- end }}
        {{- with .resource }}
        resource: {{ . | quote }}
        {{- end }}
        {{- with .scopes }}
        scopes:
          {{- toYaml . | nindent 10 }}
        {{- end }}
      {{- end }}
      {{- end }}
    {{- end }}
  {{- end }}
  {{- with .Values.policy.rules }}
  policy:
    rules:
      {{- toYaml . | nindent 6 }}
  {{- end }}
  mcp:
    tool-naming: {{ .Values.mcp.toolNaming | quote }}
    {{- with .Values.jwt.authorizationServers }}
    authorization-servers:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    allowed-hosts:
      {{- include "vmcp-sessions.mcpAllowedHosts" . | nindent 6 }}
    {{- with .Values.mcp.allowedOrigins }}
    allowed-origins:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    max-request-size: {{ .Values.mcp.maxRequestSize | quote }}
    keep-alive-interval: {{ .Values.mcp.keepAliveInterval | quote }}
    input-wait: {{ .Values.mcp.inputWait | quote }}
    replay-window: {{ .Values.mcp.replayWindow | quote }}
    stream-poll-interval: {{ .Values.mcp.streamPollInterval | quote }}
  audit:
    enabled: {{ .Values.audit.enabled }}
    subject: {{ .Values.audit.subject | quote }}
    arguments: {{ .Values.audit.arguments | quote }}
    expiry-events:
      enabled: {{ .Values.audit.expiryEvents.enabled }}
      configure-redis: {{ .Values.audit.expiryEvents.configureRedis }}
resilience4j:
  timelimiter:
    instances:
      session-load:
        timeout-duration: {{ .Values.timeouts.sessionLoad | quote }}
      session-create:
        timeout-duration: {{ .Values.timeouts.sessionCreate | quote }}
      session-update:
        timeout-duration: {{ .Values.timeouts.sessionUpdate | quote }}
      session-terminate:
        timeout-duration: {{ .Values.timeouts.sessionTerminate | quote }}
      session-quota:
        timeout-duration: {{ .Values.timeouts.sessionQuota | quote }}
      parked-call:
        timeout-duration: {{ .Values.timeouts.parkedCall | quote }}
      stream-events:
        timeout-duration: {{ .Values.timeouts.streamEvents | quote }}
{{- end }}

{{/*
The TCP port of the OTLP endpoint: the one it names, else its scheme's.
*/}}
{{- define "vmcp-sessions.otlpPort" -}}
{{- $url := urlParse .Values.tracing.otlpEndpoint }}
{{- $hostPort := splitList ":" $url.host }}
{{- if gt (len $hostPort) 1 }}
{{- last $hostPort }}
{{- else if eq $url.scheme "https" }}
{{- 443 }}
{{- else }}
{{- 80 }}
{{- end }}
{{- end }}

{{/*
The application.yaml of the ConfigMap: the generated one with `config` merged over it.
*/}}
{{- define "vmcp-sessions.applicationConfig" -}}
{{- $generated := include "vmcp-sessions.applicationYaml" . | fromYaml }}
{{- if hasKey $generated "Error" }}
{{- fail (printf "generated application.yaml is invalid: %s" (get $generated "Error")) }}
{{- end }}
{{- toYaml (mergeOverwrite $generated (deepCopy .Values.config)) }}
{{- end }}

{{/*
Host names /mcp accepts (DNS rebinding protection): loopback names for port-forwarding,
the Service's in-cluster names, the Ingress hosts, and mcp.extraAllowedHosts.
*/}}
{{- define "vmcp-sessions.mcpAllowedHosts" -}}
{{- $service := include "vmcp-sessions.fullname" . }}
{{- $hosts := list "localhost" "127.0.0.1" "[::1]" $service (printf "%s.%s" $service .Release.Namespace) (printf "%s.%s.svc" $service .Release.Namespace) (printf "%s.%s.svc.cluster.local" $service .Release.Namespace) }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts .host }}
{{- end }}
{{- end }}
{{- range .Values.mcp.extraAllowedHosts }}
{{- $hosts = append $hosts . }}
{{- end }}
{{- toYaml (uniq $hosts) }}
{{- end }}

{{/*
The audiences a token must name one of in JWT mode: jwt.audiences, else the public URL of
/mcp behind the first Ingress host (https when an ingress.tls entry names the host); an
empty list when neither is known.
*/}}
{{- define "vmcp-sessions.jwtAudiences" -}}
{{- $audiences := .Values.jwt.audiences }}
{{- if and (not $audiences) .Values.ingress.enabled .Values.ingress.hosts }}
{{- $host := (first .Values.ingress.hosts).host }}
{{- $scheme := "http" }}
{{- range .Values.ingress.tls }}
{{- if has $host (.hosts | default list) }}
{{- $scheme = "https" }}
{{- end }}
{{- end }}
{{- $audiences = list (printf "%s://%s/mcp" $scheme $host) }}
{{- end }}
{{- toYaml ($audiences | default list) }}
{{- end }}
