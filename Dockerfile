# The runner in a container: Debian slim with Node.js 20, kubectl, a JRE (the Allure report) and
# this project installed as a package (`npm pack` + `npm install -g`, as a user installs it).
#   docker build -t nodegroup-runbooks:0.1.0 .
#   docker run --rm nodegroup-runbooks:0.1.0 steps
# In a cluster: deploy/ (README, "In a cluster"). The pods use in-cluster config (no kubeconfig).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp \
  && mv /tmp/nodegroup-runbooks-*.tgz /tmp/nodegroup-runbooks.tgz

FROM node:20-bookworm-slim
ARG KUBECTL_VERSION=v1.32.3
ARG TARGETARCH=amd64
RUN apt-get update \
  && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates curl \
  && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl" \
  && echo "$(curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl.sha256")  /usr/local/bin/kubectl" | sha256sum -c - \
  && chmod 0755 /usr/local/bin/kubectl \
  && apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /tmp/nodegroup-runbooks.tgz /tmp/
RUN npm install -g --no-audit --no-fund /tmp/nodegroup-runbooks.tgz \
  && rm /tmp/nodegroup-runbooks.tgz && npm cache clean --force \
  && mkdir -p /reports && chown node:node /reports
ENV RUNBOOK_REPORTS_DIR=/reports NODE_ENV=production
# Runbook paths in args (features/...) are relative to the installed package.
WORKDIR /usr/local/lib/node_modules/nodegroup-runbooks
USER node
ENTRYPOINT ["nodegroup-runbooks"]
CMD ["run", "-p", "readonly"]
