/**
 * What the demo desk says: companies, people, problems and the words around them, in the
 * Spanish of the preset's country (Mexico or Colombia). Everything here is fiction: the
 * companies and people do not exist and every e-mail domain ends in `.example` (RFC 2606).
 */
import type { Preset } from '@helpdesk/domain';

export type Country = 'MX' | 'CO';

/** urgency of a problem, mapped to the preset's scheme when it is reported or classified */
export type Urgency = 'high' | 'medium' | 'low';

export interface Issue {
  subject: string;
  description: string;
  stepsToReproduce?: string;
  errorText?: string;
  urgency: Urgency;
  /** what the engineer asks when the report is not enough */
  question: string;
  /** what the customer answers */
  answer: string;
  /** the quote's or estimate's description */
  quote: string;
  /** work log descriptions, in order */
  work: string[];
  resolution: string;
}

export interface CompanyProfile {
  name: string;
  /** e-mail domain of its contacts (always .example) */
  domain: string;
  /** sites, areas or devices that tell two tickets on the same problem apart */
  places: string[];
}

export interface Catalog {
  country: Country;
  currency: Preset['currency'];
  /** per-event hourly rate in minor units (MXN 950.00 / COP 180.000,00) */
  hourlyRateMinor: number;
  paymentTerms: string[];
  /** the support company's own e-mail domain (staff) */
  staffDomain: string;
  companies: CompanyProfile[];
  staff: {
    agents: string[];
    supervisors: string[];
    auditor: string;
    finance: string;
    admin: string;
  };
  /** contact names, two or three per company are drawn from here */
  contactNames: string[];
  /** problems by product id; `general` for a preset's products the catalog does not know */
  issues: Record<string, Issue[]>;
  /** problems without a product, by department id (billing, sales, renewals, ...) */
  departmentIssues: Record<string, Issue[]>;
  firstResponses: string[];
  internalNotes: string[];
  lateApologies: string[];
  customerFollowUps: string[];
  escalationReasons: string[];
  supervisorNotes: string[];
  reopenReasons: string[];
  declineComments: string[];
  acceptComments: string[];
  contactNotes: { phone: string[]; email: string[] };
  outOfScope: { subject: string; description: string; resolution: string }[];
  duplicateResolution: string;
  closingMessages: string[];
}

/** the country of a preset: its locale (es-CO: Colombia; otherwise Mexico) */
export function countryOf(preset: Preset): Country {
  return preset.locale === 'es-CO' ? 'CO' : 'MX';
}

const MX_COMPANIES: CompanyProfile[] = [
  { name: 'Hoteles del Bajío, S.A. de C.V.', domain: 'hotelesdelbajio.example', places: ['hotel León Centro', 'hotel Guanajuato', 'recepción', 'área de eventos', 'cocina'] },
  { name: 'Grupo Ferretero Anáhuac, S.A. de C.V.', domain: 'ferreteroanahuac.example', places: ['sucursal Monterrey Centro', 'sucursal San Nicolás', 'almacén', 'caja 3', 'compras'] },
  { name: 'Clínica Santa Fe de Querétaro, S.C.', domain: 'clinicasantafe.example', places: ['laboratorio', 'urgencias', 'farmacia', 'consultorios planta alta', 'admisión'] },
  { name: 'Lácteos La Huasteca, S.A. de C.V.', domain: 'lacteoshuasteca.example', places: ['planta Tampico', 'centro de distribución', 'ventas foráneas', 'contabilidad'] },
  { name: 'Colegio Montessori del Valle, A.C.', domain: 'montessoridelvalle.example', places: ['dirección', 'sala de cómputo', 'control escolar', 'preescolar'] },
  { name: 'Transportes Refrigerados del Norte, S.A. de C.V.', domain: 'trefnorte.example', places: ['patio Saltillo', 'tráfico', 'monitoreo GPS', 'taller'] },
  { name: 'Despacho Contable Ruiz Esparza y Asociados, S.C.', domain: 'ruizesparza.example', places: ['nóminas', 'auditoría', 'socios', 'recepción'] },
  { name: 'Mueblería Hermanos Villaseñor, S.A. de C.V.', domain: 'villasenor.example', places: ['tienda Zapopan', 'tienda Tlaquepaque', 'tienda en línea', 'bodega'] },
  { name: 'Agroindustrias El Sabinal, S.P.R. de R.L.', domain: 'elsabinal.example', places: ['empaque', 'oficina Culiacán', 'básculas', 'embarques'] },
  { name: 'Farmacias San Judas de Puebla, S.A. de C.V.', domain: 'farmaciassanjudas.example', places: ['matriz', 'sucursal Angelópolis', 'sucursal Cholula', 'surtido'] },
  { name: 'Constructora Cerro de la Silla, S.A. de C.V.', domain: 'cerrodelasilla.example', places: ['obra Cumbres', 'oficina de proyectos', 'residencia de obra', 'compras'] },
  { name: 'Tequilera Los Altos de Arandas, S.A. de C.V.', domain: 'altosdearandas.example', places: ['destilería', 'embotellado', 'exportación', 'tienda de la fábrica'] },
  { name: 'Laboratorio Dental Sonrisa Plena, S.C.', domain: 'sonrisaplena.example', places: ['fresado CAD/CAM', 'recepción de casos', 'entregas', 'administración'] },
];

const CO_COMPANIES: CompanyProfile[] = [
  { name: 'Café Tostado La Montaña S.A.S.', domain: 'cafelamontana.example', places: ['planta de tostión', 'tienda Usaquén', 'ventas en línea', 'bodega Fontibón'] },
  { name: 'Clínica Odontológica Sonreír de Medellín S.A.S.', domain: 'sonreirmedellin.example', places: ['sede El Poblado', 'sede Laureles', 'agendamiento', 'radiología'] },
  { name: 'Inversiones Valle del Cauca Ltda.', domain: 'invervalle.example', places: ['oficina Cali', 'tesorería', 'gerencia', 'archivo'] },
  { name: 'Transportes Andinos del Eje S.A.S.', domain: 'tandinoseje.example', places: ['terminal Pereira', 'despachos Manizales', 'rastreo satelital', 'taller'] },
  { name: 'Floristería Jardín de la Sabana S.A.S.', domain: 'jardinsabana.example', places: ['cultivo Chía', 'pedidos en línea', 'punto de venta Calle 85', 'exportaciones'] },
  { name: 'Colegio Campestre Los Alpes', domain: 'campestrealpes.example', places: ['rectoría', 'plataforma académica', 'sala de sistemas', 'pagaduría'] },
  { name: 'Confecciones Textiles Antioquia S.A.S.', domain: 'textilesantioquia.example', places: ['planta Itagüí', 'diseño', 'tienda virtual', 'cartera'] },
  { name: 'Distribuidora de Alimentos El Llano S.A.S.', domain: 'alimentosllano.example', places: ['centro de distribución Villavicencio', 'preventa', 'facturación', 'flota'] },
  { name: 'Constructora Altos del Chicó S.A.S.', domain: 'altosdelchico.example', places: ['sala de ventas', 'obra Cedritos', 'interventoría', 'contabilidad'] },
  { name: 'Hotel Boutique Casa Getsemaní S.A.S.', domain: 'casagetsemani.example', places: ['recepción', 'reservas en línea', 'restaurante', 'spa'] },
  { name: 'Laboratorio Clínico San Rafael de Bucaramanga S.A.S.', domain: 'labsanrafael.example', places: ['toma de muestras', 'resultados en línea', 'sede Cabecera', 'facturación'] },
  { name: 'Agencia de Viajes Caribe Mágico S.A.S.', domain: 'caribemagico.example', places: ['oficina Barranquilla', 'reservas', 'portal de agencias', 'contabilidad'] },
  { name: 'Ferretería Industrial La 80 S.A.S.', domain: 'ferreteriala80.example', places: ['sede Calle 80', 'bodega', 'cotizaciones', 'tienda en línea'] },
];

/** problems of a web hosting / e-mail / domains provider (impera, soporte-niveles) */
const HOSTING_ISSUES = (country: Country): Record<string, Issue[]> => {
  const tld = country === 'MX' ? '.com.mx' : '.com.co';
  const web: Issue[] = [
    {
      subject: 'El sitio web no carga desde dos dispositivos distintos',
      description: `Desde esta mañana el sitio${tld} no abre ni en la oficina ni desde el celular con datos. Los clientes nos están llamando porque no pueden ver el catálogo.`,
      errorText: 'ERR_CONNECTION_TIMED_OUT',
      urgency: 'high',
      question: '¿Nos confirma si hicieron algún cambio de DNS o de plugins ayer por la tarde?',
      answer: 'Ayer el proveedor de la tienda actualizó un plugin de pagos, fuera de eso no tocamos nada.',
      quote: 'Diagnóstico y restauración del sitio: revisión de logs, desactivación del plugin en conflicto y pruebas.',
      work: ['Revisión de logs de Apache y PHP-FPM; el plugin de pagos agota la memoria.', 'Restauración del plugin a la versión anterior y pruebas de compra.'],
      resolution: 'El plugin de pagos actualizado agotaba la memoria de PHP; se regresó a la versión estable y el sitio carga de nuevo.',
    },
    {
      subject: 'Error 500 al enviar el formulario de contacto',
      description: 'Cuando un cliente llena el formulario de contacto aparece un error 500 y el mensaje no nos llega.',
      stepsToReproduce: '1. Abrir /contacto\n2. Llenar nombre, correo y mensaje\n3. Pulsar Enviar',
      errorText: '500 Internal Server Error',
      urgency: 'medium',
      question: '¿Desde cuándo ocurre? ¿Nos comparte la hora aproximada de un envío fallido?',
      answer: 'Desde el lunes; el último intento fue hoy a las 10:15.',
      quote: 'Corrección del envío SMTP del formulario y pruebas de entrega.',
      work: ['Se encontró la contraseña SMTP del formulario vencida; se configuró una cuenta de servicio.', 'Pruebas de envío con tres destinatarios y revisión de SPF.'],
      resolution: 'El formulario usaba una contraseña de correo vencida; se configuró una cuenta de servicio y los envíos llegan.',
    },
    {
      subject: 'Certificado SSL vencido: el navegador marca sitio no seguro',
      description: 'Chrome muestra "La conexión no es privada" al entrar al sitio. Creemos que el certificado venció el fin de semana.',
      errorText: 'NET::ERR_CERT_DATE_INVALID',
      urgency: 'high',
      question: '¿El dominio sigue apuntando a nuestros servidores o lo movieron a otro proveedor de DNS?',
      answer: 'Sigue con ustedes, no hemos movido nada.',
      quote: 'Renovación e instalación del certificado y configuración de renovación automática.',
      work: ['Renovación del certificado y corrección del registro CAA que bloqueaba la emisión.'],
      resolution: 'Se renovó el certificado; la renovación automática fallaba por un registro CAA antiguo que ya se corrigió.',
    },
    {
      subject: 'El panel de control no deja entrar al usuario administrador',
      description: 'Al entrar al panel aparece "usuario o contraseña incorrectos", aunque la contraseña es la de siempre. Los servicios siguen funcionando.',
      urgency: 'medium',
      question: '¿Nos confirma el usuario exacto con el que intenta entrar?',
      answer: 'Es el usuario admin principal de la cuenta, el mismo del contrato.',
      quote: 'Restablecimiento de acceso al panel y revisión de seguridad de la cuenta.',
      work: ['Desbloqueo de la cuenta tras intentos fallidos desde una IP extranjera; se activó el segundo factor.'],
      resolution: 'La cuenta se había bloqueado por intentos fallidos desde fuera del país; se restableció el acceso y se activó el segundo factor.',
    },
    {
      subject: 'El sitio está muy lento en horas pico',
      description: 'Entre 12:00 y 15:00 el sitio tarda más de 10 segundos en cargar. En la mañana está normal.',
      urgency: 'medium',
      question: '¿Tienen alguna campaña o envío masivo en esas horas?',
      answer: 'Sí, mandamos el boletín a las 12:00 a unos 8,000 suscriptores.',
      quote: 'Optimización de caché y base de datos del sitio.',
      work: ['Activación de caché de página y de objetos; índices faltantes en la tabla de pedidos.', 'Pruebas de carga simulando el envío del boletín.'],
      resolution: 'Se activó la caché y se agregaron índices a la base de datos; en la prueba de carga el sitio responde en menos de 2 segundos.',
    },
    {
      subject: 'Necesitamos restaurar el respaldo de la base de datos de ayer',
      description: 'Un usuario borró por error varios productos de la tienda. Necesitamos el respaldo de ayer a las 23:00.',
      urgency: 'medium',
      question: '¿Restauramos toda la base de datos o solo las tablas de productos?',
      answer: 'Solo los productos, por favor; los pedidos de hoy no se deben perder.',
      quote: 'Restauración selectiva de tablas desde el respaldo nocturno.',
      work: ['Restauración de las tablas de productos en una base temporal y copia de los registros borrados.'],
      resolution: 'Se restauraron los 146 productos borrados desde el respaldo de las 23:00 sin tocar los pedidos del día.',
    },
  ];
  const email: Issue[] = [
    {
      subject: 'No podemos enviar correos a dominios externos',
      description: 'Desde las 9:00 los correos a Gmail y Outlook rebotan. Entre nosotros sí llegan.',
      errorText: '550 5.7.1 Message rejected: SPF check failed',
      urgency: 'high',
      question: '¿Nos reenvía uno de los correos rebotados completo, con encabezados?',
      answer: 'Se lo reenvié desde la cuenta de ventas hace un momento.',
      quote: 'Corrección de registros SPF/DKIM y solicitud de retiro de listas negras.',
      work: ['Corrección del registro SPF que excluía el nuevo servidor de salida.', 'Firma DKIM regenerada y verificación de entrega con tres proveedores.'],
      resolution: 'El SPF no incluía el servidor de salida nuevo; se corrigió, se regeneró DKIM y los correos se entregan.',
    },
    {
      subject: 'Buzón lleno: la cuenta de facturación ya no recibe correos',
      description: 'La cuenta de facturación dice que el buzón está lleno y los proveedores nos reportan rebotes.',
      urgency: 'medium',
      question: '¿Prefieren ampliar la cuota o archivar los correos de más de un año?',
      answer: 'Archivar los de más de un año, por favor.',
      quote: 'Archivado de correo antiguo y ajuste de cuota.',
      work: ['Archivado de 2019-2024 en un buzón de archivo y ajuste de cuota.'],
      resolution: 'Se archivaron los correos anteriores a 2025 en un buzón de archivo; la cuenta tiene 60% libre.',
    },
    {
      subject: 'Outlook pide la contraseña a cada rato',
      description: 'A varios usuarios Outlook les pide la contraseña cada media hora desde que cambiamos de módem.',
      urgency: 'low',
      question: '¿Usan IMAP o Exchange? ¿Qué versión de Outlook?',
      answer: 'IMAP, Outlook 2021 en todas las máquinas.',
      quote: 'Revisión de configuración de clientes de correo.',
      work: ['Configuración de puertos seguros y contraseñas de aplicación en cinco equipos.'],
      resolution: 'Los equipos usaban el puerto sin cifrar que el módem nuevo bloquea; se configuraron los puertos seguros.',
    },
    {
      subject: 'Crear cuentas de correo para personal nuevo',
      description: 'Ingresan tres personas el lunes; necesitamos sus cuentas con alias de ventas.',
      urgency: 'low',
      question: '¿Nos comparte nombres completos y el alias que debe recibir cada una?',
      answer: 'Les mandé la lista por correo con los nombres y alias.',
      quote: 'Alta de cuentas y alias.',
      work: ['Alta de tres cuentas, alias de ventas y firma corporativa.'],
      resolution: 'Se crearon las tres cuentas con el alias de ventas; se enviaron las credenciales al responsable.',
    },
  ];
  const domains: Issue[] = [
    {
      subject: 'Renovar el dominio antes de que venza',
      description: `El dominio principal ${tld} vence en dos semanas y no encontramos cómo renovarlo en el panel.`,
      urgency: 'low',
      question: '¿Lo renovamos por uno o por tres años?',
      answer: 'Por tres años, por favor.',
      quote: 'Renovación del dominio y verificación de datos del titular.',
      work: ['Renovación por tres años y actualización del contacto administrativo.'],
      resolution: 'El dominio quedó renovado por tres años; el contacto administrativo se actualizó.',
    },
    {
      subject: 'Apuntar subdominio a la nueva plataforma de tienda',
      description: 'Contratamos una tienda en línea y nos piden apuntar tienda. a sus servidores con un CNAME.',
      urgency: 'low',
      question: '¿Nos comparte el valor exacto del CNAME que les dieron?',
      answer: 'Es shops.proveedor-tienda.example, ya lo tengo en el correo del proveedor.',
      quote: 'Configuración de registros DNS.',
      work: ['Alta del CNAME y verificación de propagación.'],
      resolution: 'Se creó el CNAME; la tienda ya responde en el subdominio.',
    },
  ];
  return { 'web-hosting': web, 'shared-hosting': web, 'email-service': email, domains, 'vps': [], 'dedicated-server': [] };
};

const SERVER_ISSUES: Issue[] = [
  {
    subject: 'El servidor no responde por SSH',
    description: 'No podemos entrar por SSH desde ayer en la noche; el sitio que aloja sí responde.',
    errorText: 'ssh: connect to host port 22: Connection timed out',
    urgency: 'high',
    question: '¿Cambiaron reglas del firewall o la IP desde donde se conectan?',
    answer: 'El proveedor de internet de la oficina nos cambió la IP fija ayer.',
    quote: 'Revisión de acceso remoto y reglas de firewall del servidor.',
    work: ['Acceso por consola; el firewall solo permitía la IP anterior de la oficina. Se actualizó la lista.'],
    resolution: 'El firewall solo permitía la IP anterior de la oficina; se actualizó y el acceso SSH funciona.',
  },
  {
    subject: 'Disco del servidor al 95%',
    description: 'Nos llegó la alerta de que el disco está casi lleno y la aplicación empezó a fallar al subir archivos.',
    urgency: 'high',
    question: '¿Podemos borrar los respaldos locales de más de 30 días? Ya están en el almacenamiento externo.',
    answer: 'Sí, adelante con los de más de 30 días.',
    quote: 'Limpieza de disco y rotación de logs y respaldos.',
    work: ['Rotación de logs de la aplicación y depuración de respaldos locales antiguos.', 'Configuración de alertas al 80% y rotación semanal.'],
    resolution: 'Se liberó 60% del disco (logs sin rotar y respaldos locales viejos) y se configuró la rotación.',
  },
  {
    subject: 'Actualizar PHP de la aplicación a una versión con soporte',
    description: 'Nuestro desarrollador nos pide pasar de PHP 7.4 a 8.2 para una librería nueva.',
    urgency: 'low',
    question: '¿Tienen un ambiente de pruebas donde validar la aplicación antes?',
    answer: 'No, pero podemos probar un sábado temprano.',
    quote: 'Migración de versión de PHP con respaldo previo y ventana de mantenimiento.',
    work: ['Respaldo completo e instalación de PHP 8.2 en paralelo.', 'Cambio de versión en la ventana del sábado y pruebas con el desarrollador.'],
    resolution: 'La aplicación corre en PHP 8.2; el desarrollador validó los módulos principales.',
  },
  {
    subject: 'Reinicios inesperados del servidor',
    description: 'El servidor se reinició tres veces esta semana sin que nadie lo pidiera; se pierden sesiones de usuarios.',
    urgency: 'medium',
    question: '¿Nos comparte las horas aproximadas de los reinicios?',
    answer: 'Martes 14:10, miércoles 14:05 y hoy 14:12, siempre después de comer.',
    quote: 'Diagnóstico de reinicios y ajuste de memoria.',
    work: ['Análisis de logs del kernel: el proceso de reportes agota la memoria a las 14:00.', 'Límite de memoria al proceso de reportes y swap adicional.'],
    resolution: 'El reporte diario de las 14:00 agotaba la memoria; se limitó el proceso y se agregó swap.',
  },
];

const MX_NETWORK_ISSUES: Record<string, Issue[]> = {
  'structured-cabling': [
    {
      subject: 'Nodos de red sin enlace en el área de producción',
      description: 'Seis nodos del área de producción no tienen enlace desde que movieron los escritorios.',
      urgency: 'medium',
      question: '¿Nos confirma la numeración de los nodos que fallan (etiqueta en la placa)?',
      answer: 'Son del P-14 al P-19, todos en la misma pared.',
      quote: 'Revisión y certificación de seis nodos, reponchado de jacks dañados.',
      work: ['Certificación con el Fluke: dos jacks dañados y un cable pisado por el mobiliario.', 'Reponchado de jacks y reemplazo de un tramo; certificación final.'],
      resolution: 'Se reemplazaron dos jacks y un tramo de cable dañado por el mobiliario; los seis nodos certifican en categoría 6.',
    },
    {
      subject: 'Ampliación de 12 nodos para nuevas oficinas',
      description: 'Vamos a habilitar la planta alta para 12 personas; necesitamos cotización e instalación.',
      urgency: 'low',
      question: '¿Nos comparte el plano con la ubicación de los escritorios?',
      answer: 'Le adjunté el plano en PDF con la ubicación de cada lugar.',
      quote: 'Instalación de 12 nodos categoría 6 con canaleta y certificación.',
      work: ['Tendido de cable y canaleta en planta alta.', 'Ponchado, etiquetado y certificación de 12 nodos.'],
      resolution: 'Se instalaron y certificaron los 12 nodos; se entregó la memoria técnica con las etiquetas.',
    },
  ],
  'perimeter-firewall': [
    {
      subject: 'Sin acceso a internet en toda la oficina',
      description: 'Desde las 8:30 nadie tiene internet. El módem del proveedor tiene luces normales; el firewall muestra una alerta roja.',
      urgency: 'high',
      question: '¿Nos dice qué mensaje aparece en la pantalla del firewall?',
      answer: 'Dice "WAN1 down" y el equipo se reinició solo hace rato.',
      quote: 'Atención en sitio del firewall perimetral y restauración de enlace.',
      work: ['Diagnóstico en sitio: la fuente del firewall falla; se conectó la fuente de respaldo.', 'Restauración de la configuración y pruebas de navegación y VPN.'],
      resolution: 'Falló la fuente de poder del firewall; se instaló la de respaldo, se restauró la configuración y hay servicio.',
    },
    {
      subject: 'VPN de vendedores no conecta desde fuera',
      description: 'Los vendedores no se pueden conectar a la VPN desde sus casas; en la oficina sí funciona.',
      errorText: 'The VPN server did not respond (error 809)',
      urgency: 'medium',
      question: '¿Les aparece algún aviso de certificado al conectar?',
      answer: 'Sí, dice que el certificado del servidor no es de confianza.',
      quote: 'Renovación del certificado de la VPN y actualización de perfiles.',
      work: ['Renovación del certificado del servidor VPN.', 'Actualización de perfiles en los equipos de ocho vendedores.'],
      resolution: 'El certificado de la VPN había vencido; se renovó y se actualizaron los perfiles de los vendedores.',
    },
    {
      subject: 'Bloquear redes sociales en el área administrativa',
      description: 'La dirección pide bloquear redes sociales y video en horario laboral para administración.',
      urgency: 'low',
      question: '¿El bloqueo aplica también a los gerentes?',
      answer: 'No, los gerentes quedan fuera del bloqueo.',
      quote: 'Configuración de políticas de filtrado web por grupo y horario.',
      work: ['Creación del grupo de administración y política de filtrado por horario.'],
      resolution: 'Se aplicó la política de filtrado a administración de 9:00 a 18:00; gerencia queda exenta.',
    },
  ],
  'switching-routing': [
    {
      subject: 'Lentitud en la red interna al abrir el sistema de facturación',
      description: 'El sistema de facturación tarda minutos en abrir desde todos los equipos; en el servidor abre rápido.',
      urgency: 'medium',
      question: '¿Conectaron algún equipo nuevo a la red esta semana?',
      answer: 'Pusimos un switch pequeño en la sala de juntas el lunes.',
      quote: 'Diagnóstico de red interna (lazos, tormentas de broadcast).',
      work: ['Se detectó un lazo por el switch de la sala de juntas; se activó spanning tree en el núcleo.'],
      resolution: 'El switch de la sala de juntas formaba un lazo; se retiró la conexión doble y se activó spanning tree.',
    },
    {
      subject: 'Configurar VLAN para cámaras de seguridad',
      description: 'Queremos separar las 16 cámaras IP del resto de la red.',
      urgency: 'low',
      question: '¿El grabador debe quedar accesible desde la red de oficina?',
      answer: 'Solo desde la computadora de vigilancia.',
      quote: 'Diseño y configuración de VLAN de videovigilancia.',
      work: ['Configuración de la VLAN de cámaras y reglas de acceso al grabador.'],
      resolution: 'Las cámaras quedaron en su VLAN; solo el equipo de vigilancia accede al grabador.',
    },
  ],
  wireless: [
    {
      subject: 'Wi-Fi de invitados se desconecta constantemente',
      description: 'Los huéspedes reportan que el Wi-Fi de invitados se cae cada pocos minutos en el segundo piso.',
      urgency: 'medium',
      question: '¿El problema es en todo el piso o en algunas habitaciones?',
      answer: 'En las habitaciones del fondo, de la 210 a la 218.',
      quote: 'Estudio de cobertura y reubicación de access points.',
      work: ['Estudio de cobertura: interferencia de canal con el edificio vecino.', 'Cambio de canales y reubicación de un access point.'],
      resolution: 'Había interferencia de canal con el edificio vecino; se ajustaron canales y se reubicó un access point.',
    },
    {
      subject: 'Agregar access point en bodega',
      description: 'Las terminales de inventario no tienen señal en la bodega del fondo.',
      urgency: 'low',
      question: '¿Hay un nodo de red disponible cerca del área?',
      answer: 'Hay uno junto a la puerta de carga.',
      quote: 'Instalación y configuración de un access point adicional.',
      work: ['Instalación del access point y ajuste de potencia.'],
      resolution: 'Se instaló un access point junto a la puerta de carga; las terminales tienen señal en toda la bodega.',
    },
  ],
};

const SOFTLIK_ISSUES: Issue[] = [
  {
    subject: 'El ERP no timbra facturas: error del PAC',
    description: 'Desde la mañana el ERP no puede timbrar ninguna factura. Tenemos clientes esperando su CFDI.',
    errorText: 'CFDI40145: El certificado no corresponde al emisor',
    urgency: 'high',
    question: '¿Renovaron el certificado de sello digital (CSD) recientemente?',
    answer: 'Sí, el contador lo renovó el viernes.',
    quote: 'Actualización del CSD en el ERP y pruebas de timbrado.',
    work: ['Carga del CSD renovado en el ERP y prueba de timbrado en el ambiente del PAC.'],
    resolution: 'El ERP seguía usando el CSD anterior; se cargó el renovado y las facturas se timbran.',
  },
  {
    subject: 'Reporte de inventario con existencias negativas',
    description: 'El reporte de inventario muestra existencias negativas en varios artículos después del cierre de mes.',
    urgency: 'medium',
    question: '¿Hicieron ajustes manuales de inventario durante el cierre?',
    answer: 'Sí, el almacenista hizo ajustes el día 31 en la tarde.',
    quote: 'Revisión de movimientos de inventario y corrección de costos.',
    work: ['Revisión de movimientos del día 31: ajustes capturados dos veces.', 'Cancelación de los movimientos duplicados y recálculo de costos.'],
    resolution: 'Los ajustes del cierre se capturaron dos veces; se cancelaron los duplicados y se recalculó el costo promedio.',
  },
  {
    subject: 'Alta de usuarios y permisos en el ERP',
    description: 'Necesitamos dar de alta dos usuarios de cobranza con permisos solo de consulta.',
    urgency: 'low',
    question: '¿Deben ver todos los clientes o solo los de su zona?',
    answer: 'Solo los de la zona Bajío.',
    quote: 'Configuración de usuarios y perfiles de seguridad.',
    work: ['Alta de usuarios y perfil de cobranza con filtro por zona.'],
    resolution: 'Se crearon los dos usuarios con perfil de consulta de cobranza limitado a la zona Bajío.',
  },
];

const MX_DEPARTMENT_ISSUES: Record<string, Issue[]> = {
  billing: [
    {
      subject: 'Factura con RFC incorrecto',
      description: 'La factura del servicio de este mes salió con el RFC anterior de la empresa.',
      urgency: 'low',
      question: '¿Nos comparte la constancia de situación fiscal actualizada?',
      answer: 'Se la envié por correo en PDF.',
      quote: 'Refacturación.',
      work: ['Cancelación y reexpedición del CFDI.'],
      resolution: 'Se canceló la factura y se emitió una nueva con el RFC correcto.',
    },
    {
      subject: 'Pago duplicado de la mensualidad',
      description: 'Por error pagamos dos veces la mensualidad de hosting; ¿pueden aplicarlo al siguiente mes?',
      urgency: 'low',
      question: '¿Nos comparte los dos comprobantes de pago?',
      answer: 'Los adjunto en este mensaje.',
      quote: 'Aplicación de saldo a favor.',
      work: ['Conciliación de pagos y aplicación del saldo a favor.'],
      resolution: 'Se aplicó el pago duplicado como saldo a favor para el siguiente mes.',
    },
  ],
  renewals: [
    {
      subject: 'Renovación de póliza de soporte',
      description: 'Nuestra póliza vence el próximo mes; queremos renovar y saber si conviene subir de plan.',
      urgency: 'low',
      question: '¿Cuántas horas usaron el último año aproximadamente?',
      answer: 'Unas 18 horas según sus reportes.',
      quote: 'Propuesta de renovación.',
      work: ['Análisis de consumo y propuesta de plan Empresarial.'],
      resolution: 'Se envió la propuesta de renovación en plan Empresarial con el consumo del último año.',
    },
  ],
  sales: [
    {
      subject: 'Cotización de hosting para una segunda tienda',
      description: 'Abriremos otra tienda en línea y queremos cotizar un plan de hosting similar al actual.',
      urgency: 'low',
      question: '¿Cuántos productos y visitas al mes esperan?',
      answer: 'Unos 2,000 productos y 30,000 visitas al mes.',
      quote: 'Propuesta comercial.',
      work: ['Dimensionamiento y propuesta de plan.'],
      resolution: 'Se envió la propuesta con el plan Negocios y migración incluida.',
    },
  ],
  'software-factory': [
    {
      subject: 'Cotizar integración del sistema de nómina con el reloj checador',
      description: 'Queremos que las checadas del reloj lleguen solas al sistema de nómina.',
      urgency: 'low',
      question: '¿Qué modelo de reloj checador tienen?',
      answer: 'Es un ZK de huella, modelo de 2021.',
      quote: 'Análisis de la integración.',
      work: ['Análisis del API del reloj y del formato de importación de la nómina.'],
      resolution: 'Se entregó el análisis y la propuesta de desarrollo a la Fábrica de Software.',
    },
  ],
};

const CO_DEPARTMENT_ISSUES: Record<string, Issue[]> = {
  billing: [
    {
      subject: 'Factura electrónica sin el NIT correcto',
      description: 'La factura electrónica de este mes salió con el NIT sin dígito de verificación y la DIAN la rechaza en nuestra contabilidad.',
      urgency: 'low',
      question: '¿Nos comparte el RUT actualizado?',
      answer: 'Se lo adjunté en el correo de hace un momento.',
      quote: 'Nota crédito y reexpedición.',
      work: ['Nota crédito y nueva factura electrónica.'],
      resolution: 'Se emitió nota crédito y una nueva factura electrónica con el NIT completo.',
    },
    {
      subject: 'Pago por PSE no se ve reflejado',
      description: 'Pagamos por PSE el martes y el panel sigue mostrando la factura pendiente.',
      urgency: 'medium',
      question: '¿Nos comparte el número de transacción de PSE?',
      answer: 'Es el CUS 284715532, pagado desde Bancolombia.',
      quote: 'Conciliación del pago.',
      work: ['Conciliación con la pasarela y aplicación manual del pago.'],
      resolution: 'La pasarela no notificó el pago; se concilió manualmente y la factura quedó pagada.',
    },
  ],
  sales: [
    {
      subject: 'Cotización de servidor dedicado para temporada alta',
      description: 'En diciembre triplicamos ventas; queremos cotizar un servidor dedicado por tres meses.',
      urgency: 'low',
      question: '¿Cuántas visitas simultáneas esperan en el pico?',
      answer: 'Unas 500 simultáneas el día de la prima.',
      quote: 'Propuesta comercial.',
      work: ['Dimensionamiento y propuesta.'],
      resolution: 'Se envió la propuesta de servidor dedicado con migración y regreso al plan actual en marzo.',
    },
  ],
};

const GENERAL_ISSUES: Issue[] = [
  {
    subject: 'El servicio presenta intermitencia',
    description: 'Desde ayer el servicio se cae unos minutos cada hora; los usuarios pierden lo que estaban capturando.',
    urgency: 'high',
    question: '¿Nos comparte las horas exactas de las últimas caídas?',
    answer: 'A las 10:02, 11:05 y 12:03 de hoy.',
    quote: 'Diagnóstico de intermitencia del servicio.',
    work: ['Monitoreo y revisión de logs: tarea programada cada hora satura el servicio.', 'Reprogramación de la tarea fuera de horario.'],
    resolution: 'Una tarea programada cada hora saturaba el servicio; se movió a la madrugada.',
  },
  {
    subject: 'Consulta sobre el uso de la herramienta de respaldos',
    description: '¿Cómo programamos un respaldo semanal adicional los domingos?',
    urgency: 'low',
    question: '¿Qué carpetas o bases de datos debe incluir?',
    answer: 'Las carpetas de contabilidad y la base de datos del sistema de ventas.',
    quote: 'Configuración asistida de respaldos.',
    work: ['Configuración del respaldo dominical con el usuario.'],
    resolution: 'Se programó el respaldo dominical de contabilidad y ventas; se explicó cómo revisar su bitácora.',
  },
];

const MX: Omit<Catalog, 'issues'> & { issues: Record<string, Issue[]> } = {
  country: 'MX',
  currency: 'MXN',
  hourlyRateMinor: 95_000,
  paymentTerms: ['Pago a 30 días contra factura (CFDI).', '50% de anticipo y 50% contra entrega.', 'Pago de contado contra factura.'],
  staffDomain: 'mesadeayuda.example',
  companies: MX_COMPANIES,
  staff: {
    agents: ['Ana López Ríos', 'Luis Hernández Soto', 'Jorge Ramírez Vega', 'Mariana Cruz Ortega'],
    supervisors: ['Patricia Mendoza Aguilar', 'Ricardo Torres Beltrán'],
    auditor: 'Verónica Salas Núñez',
    finance: 'Fernando Castillo Ibarra',
    admin: 'Alejandro Ortiz Lara',
  },
  contactNames: [
    'María González Pérez', 'José Luis Martínez', 'Guadalupe Sánchez Díaz', 'Juan Carlos Rodríguez', 'Gabriela Flores Rivera', 'Héctor Reyes Moreno',
    'Claudia Jiménez Ruiz', 'Roberto Vázquez Medina', 'Daniela Gutiérrez Castro', 'Miguel Ángel Domínguez', 'Lucía Navarro Herrera', 'Arturo Salinas Ponce',
    'Adriana Chávez Romero', 'Eduardo Peña Lozano', 'Rosa María Aguilar', 'Francisco Javier Ortega', 'Alejandra Rangel Soto', 'Sergio Campos Méndez',
    'Karla Ibáñez Fuentes', 'Óscar Delgado Rosas', 'Leticia Carrillo Vega', 'Raúl Espinoza Trejo', 'Mónica Cervantes León', 'Víctor Hugo Sandoval',
    'Norma Alicia Robles', 'Iván Maldonado Cortés', 'Silvia Zamora Luna', 'Enrique Beltrán Ochoa', 'Beatriz Montes Villalobos', 'Alberto Cisneros Mora',
    'Elena Figueroa Parra', 'Tomás Ríos Guerrero', 'Verónica Lara Sosa', 'Gerardo Ávila Rocha', 'Paola Miranda Estrada', 'Manuel Quiroz Barrera',
  ],
  issues: {
    ...HOSTING_ISSUES('MX'),
    ...MX_NETWORK_ISSUES,
    'softlik-erp': SOFTLIK_ISSUES,
    general: GENERAL_ISSUES,
  },
  departmentIssues: MX_DEPARTMENT_ISSUES,
  firstResponses: [
    'Hola {name}, gracias por el reporte. Ya lo estamos revisando y le aviso en cuanto tenga el diagnóstico.',
    'Buen día {name}. Recibimos su caso; un ingeniero ya está revisando los registros del servicio.',
    '{name}, gracias por la información. Estamos reproduciendo el problema y en breve le damos una actualización.',
    'Hola {name}. Ya tenemos su caso asignado; revisamos el servicio y le escribimos por este medio.',
  ],
  internalNotes: [
    'Revisé los logs: coincide con el cambio que se hizo la semana pasada. Dar seguimiento con el cliente.',
    'El cliente tiene póliza vigente; revisar saldo antes de estimar horas.',
    'Posible relación con el incidente de la red del proveedor del martes. Verificar.',
    'Llamé al cliente para confirmar datos; pidió que le escribamos por aquí.',
  ],
  lateApologies: [
    'Hola {name}, una disculpa por la demora en responder; tuvimos una carga alta de casos. Ya estamos con su reporte.',
    '{name}, lamentamos no haber respondido antes. Su caso ya está asignado y lo estamos atendiendo.',
  ],
  customerFollowUps: [
    '¿Tienen alguna novedad? Seguimos con el problema.',
    'Buenas tardes, ¿me pueden dar un estimado de cuándo quedará?',
    'Gracias, quedo atento a la solución.',
  ],
  escalationReasons: [
    'Llevamos más de un día sin servicio y nos está afectando la operación.',
    'No hemos tenido avance y el problema afecta a todas las sucursales.',
    'Solicito que lo revise un responsable: es la tercera vez que pasa este mes.',
  ],
  supervisorNotes: [
    'Tomo el caso como responsable de calidad; doy seguimiento personal hasta cerrarlo.',
    'Revisé el caso con el ingeniero asignado; priorizamos la atención hoy mismo.',
  ],
  reopenReasons: [
    'El problema volvió a presentarse esta mañana.',
    'La solución funcionó un día, pero hoy falla otra vez igual.',
    'Sigue fallando en la otra sucursal.',
  ],
  declineComments: [
    'Por ahora no tenemos presupuesto; lo revisamos el próximo trimestre.',
    'Lo resolveremos con nuestro personal interno, gracias.',
    'El monto es mayor a lo que podemos autorizar este mes.',
  ],
  acceptComments: ['De acuerdo, adelante.', 'Autorizado, favor de avisar cuando terminen.', 'Aprobado por dirección.'],
  contactNotes: {
    phone: ['Llamada al contacto, no contestó; se dejó mensaje en el buzón.', 'Llamada a recepción: el contacto no se encontraba, se dejó recado.'],
    email: ['Se envió correo recordando la información pendiente; cerraremos el caso si no recibimos respuesta.', 'Correo de seguimiento enviado con la pregunta pendiente.'],
  },
  outOfScope: [
    {
      subject: 'Instalar Office en las computadoras nuevas',
      description: 'Compramos cinco laptops y necesitamos que instalen Office y la impresora.',
      resolution: 'La instalación de software de terceros en equipos de escritorio está fuera del alcance del soporte; le recomendamos a su proveedor de equipo.',
    },
    {
      subject: 'Capacitación de Excel para el área de ventas',
      description: '¿Nos pueden dar un curso de tablas dinámicas para el equipo de ventas?',
      resolution: 'La capacitación no forma parte del soporte técnico; le compartimos el contacto del área comercial.',
    },
    {
      subject: 'El internet del proveedor está lento',
      description: 'La velocidad contratada es de 100 megas y nos llegan 20.',
      resolution: 'El enlace de internet es responsabilidad de su proveedor de telecomunicaciones; le sugerimos levantar el reporte con ellos.',
    },
  ],
  duplicateResolution: 'Es el mismo problema que se atiende en otro caso abierto; continuamos allá.',
  closingMessages: [
    '{name}, le confirmamos que quedó resuelto. Cerramos el caso; si vuelve a presentarse puede pedir reabrirlo.',
    'Quedó atendido, {name}. Gracias por su paciencia.',
  ],
};

const CO: typeof MX = {
  ...MX,
  country: 'CO',
  currency: 'COP',
  hourlyRateMinor: 18_000_000,
  paymentTerms: ['Pago a 30 días contra factura electrónica.', 'Pago anticipado por PSE.', '50% de anticipo y 50% a la entrega.'],
  staffDomain: 'mesadeayuda.example',
  companies: CO_COMPANIES,
  staff: {
    agents: ['Juliana Restrepo Gómez', 'Andrés Felipe Ospina', 'Camilo Rojas Duque', 'Natalia Vélez Arango'],
    supervisors: ['Carolina Cárdenas Mejía'],
    auditor: 'Diego Alzate Henao',
    finance: 'Paula Andrea Giraldo',
    admin: 'Santiago Muñoz Zapata',
  },
  contactNames: [
    'Luisa Fernanda Castaño', 'Julián Betancur Ríos', 'Catalina Henao Uribe', 'Óscar Mejía Londoño', 'Alejandra Salazar Vargas', 'Sebastián Quintero Ruiz',
    'Diana Marcela Londoño', 'Mauricio Zapata Gil', 'Valentina Muñoz Correa', 'Felipe Arango Botero', 'María Camila Duque', 'Jhon Jairo Cardona',
    'Laura Sofía Pineda', 'Carlos Andrés Vélez', 'Ana María Echeverri', 'Juan Pablo Osorio', 'Daniela Agudelo Marín', 'Santiago Ramírez Toro',
    'Paula Cristina Arias', 'Hernán Darío Posada', 'Marcela Bedoya Franco', 'Andrés Mauricio Sierra', 'Natalia Giraldo Ossa', 'Ricardo Alonso Rendón',
    'Luz Adriana Montoya', 'Esteban Villegas Lopera', 'Carolina Rincón Parra', 'Jorge Iván Zuluaga', 'Mónica Patricia Suárez', 'David Alejandro Cano',
    'Sara Lucía Benjumea', 'Fabián Restrepo Mesa', 'Isabel Cristina Tobón', 'Nicolás Gaviria Peláez', 'Tatiana Orozco Hoyos', 'Gustavo Adolfo Llano',
  ],
  issues: {
    ...HOSTING_ISSUES('CO'),
    vps: SERVER_ISSUES,
    'dedicated-server': SERVER_ISSUES,
    general: GENERAL_ISSUES,
  },
  departmentIssues: CO_DEPARTMENT_ISSUES,
  firstResponses: [
    'Hola {name}, gracias por reportarlo. Ya estamos revisando y le contamos apenas tengamos el diagnóstico.',
    'Buen día {name}. Recibimos su caso y un ingeniero ya está revisando los registros del servicio.',
    '{name}, muchas gracias por la información. Estamos validando y en un momento le damos novedades.',
    'Hola {name}. Su caso ya está asignado; revisamos el servicio y le escribimos por este medio.',
  ],
  internalNotes: [
    'Revisé los logs: coincide con la actualización del fin de semana. Hacer seguimiento con el cliente.',
    'Cliente con nivel de soporte 2; ojo con el tiempo de respuesta.',
    'Posible relación con la ventana de mantenimiento del datacenter. Verificar.',
    'Llamé al cliente para confirmar datos; prefiere que le escribamos por aquí.',
  ],
  lateApologies: [
    'Hola {name}, qué pena la demora en responder; tuvimos muchos casos hoy. Ya estamos con su reporte.',
    '{name}, disculpe no haber respondido antes. Su caso ya está asignado y lo estamos atendiendo.',
  ],
  customerFollowUps: ['¿Hay alguna novedad? Seguimos con el problema.', 'Buenas tardes, ¿me pueden dar un estimado de cuándo queda?', 'Gracias, quedo pendiente.'],
  escalationReasons: [
    'Llevamos más de un día con la falla y está afectando las ventas.',
    'No hemos tenido avance y el problema afecta a todas las sedes.',
    'Solicito que lo revise un supervisor: es la tercera vez que pasa este mes.',
  ],
  supervisorNotes: ['Tomo el caso como supervisora de soporte y le hago seguimiento hasta cerrarlo.', 'Revisé el caso con el ingeniero asignado; lo priorizamos hoy mismo.'],
  reopenReasons: ['La falla volvió a presentarse esta mañana.', 'Funcionó un día, pero hoy falla otra vez igual.', 'Sigue fallando en la otra sede.'],
  declineComments: [
    'Por ahora no tenemos presupuesto; lo miramos el próximo trimestre.',
    'Lo vamos a resolver con nuestro personal interno, gracias.',
    'El valor supera lo que podemos aprobar este mes.',
  ],
  acceptComments: ['De acuerdo, adelante.', 'Aprobado, por favor nos avisan cuando terminen.', 'Aprobado por gerencia.'],
  contactNotes: {
    phone: ['Llamada al contacto, no contestó; se dejó mensaje de voz.', 'Llamada a la recepción: el contacto no estaba, se dejó razón.'],
    email: ['Se envió correo recordando la información pendiente; cerraremos el caso si no recibimos respuesta.', 'Correo de seguimiento enviado con la pregunta pendiente.'],
  },
  outOfScope: [
    {
      subject: 'Instalar Office en los computadores nuevos',
      description: 'Compramos cinco portátiles y necesitamos que instalen Office y la impresora.',
      resolution: 'La instalación de software de terceros en equipos de escritorio está fuera del alcance del soporte; le recomendamos a su proveedor de equipos.',
    },
    {
      subject: 'Capacitación en Excel para el área comercial',
      description: '¿Nos pueden dar un curso de tablas dinámicas para el equipo comercial?',
      resolution: 'La capacitación no hace parte del soporte técnico; le compartimos el contacto del área comercial.',
    },
    {
      subject: 'El internet del operador está lento',
      description: 'Tenemos contratadas 100 megas y nos llegan 20.',
      resolution: 'El canal de internet es responsabilidad de su operador; le sugerimos radicar el reporte con ellos.',
    },
  ],
  duplicateResolution: 'Es la misma falla que se atiende en otro caso abierto; continuamos allá.',
  closingMessages: [
    '{name}, le confirmamos que quedó resuelto. Cerramos el caso; si vuelve a presentarse puede pedir reabrirlo.',
    'Quedó solucionado, {name}. Muchas gracias por su paciencia.',
  ],
};

export function catalogFor(preset: Preset): Catalog {
  const catalog = countryOf(preset) === 'CO' ? CO : MX;
  // quotes in the preset's currency (the rates are the country's)
  return preset.currency === catalog.currency ? catalog : { ...catalog, currency: preset.currency };
}

/** the problems a ticket on `product` (null: none) in `department` may report */
export function issuesFor(catalog: Catalog, department: string, product: string | null): Issue[] {
  if (product === null) return catalog.departmentIssues[department] ?? catalog.issues.general;
  const known = catalog.issues[product];
  return known && known.length > 0 ? known : catalog.issues.general;
}
