"""Central delivers messages: the configuration (``config``), what a message shows
(``render``) and the links it carries (``links``), the delivery worker (``delivery``),
email over SMTP (``smtp``), SMS and WhatsApp providers (``providers``), the webhooks'
effects (``inbound``) and central's own service messages (``service``). The routes are
``central.routes.messaging``."""
